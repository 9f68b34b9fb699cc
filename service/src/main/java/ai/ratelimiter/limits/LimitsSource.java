package ai.ratelimiter.limits;

/**
 * Where an organization's limiter loads its limits from. Implementations block on I/O and
 * are called from a dedicated executor, never from an actor's thread.
 */
@FunctionalInterface
public interface LimitsSource {

    /** The organization's own limits, or the defaults when it has none. */
    Limits load(String orgId);
}
