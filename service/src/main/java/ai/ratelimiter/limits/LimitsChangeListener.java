package ai.ratelimiter.limits;

/** Told after an organization's limits changed in Postgres. */
@FunctionalInterface
public interface LimitsChangeListener {

    void limitsChanged(String orgId, Limits limits);
}
