package ai.ratelimiter.limits;

/**
 * Where an organization's limiter loads its settings from. Implementations block on I/O and
 * are called from a dedicated executor, never from an actor's thread.
 */
@FunctionalInterface
public interface LimitsSource {

    /** The organization's own settings, or the defaults when it has none. */
    OrgSettings load(String orgId);
}
