package ai.ratelimiter.limits;

/** Told after an organization's settings changed in Postgres. */
@FunctionalInterface
public interface LimitsChangeListener {

    void limitsChanged(String orgId, OrgSettings settings);
}
