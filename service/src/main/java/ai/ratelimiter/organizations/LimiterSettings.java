package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.OutagePolicy;
import java.time.Duration;

/**
 * Resolved settings every organization's limiter starts with.
 *
 * @param defaults limits used while an organization's own cannot be loaded
 * @param idleTimeout how long a limiter without messages lives before it stops
 * @param maxBatchSize most operations sent in one script call
 * @param maxWaiting most messages held while limits load, or queued behind a script call
 * @param loadRetry pause before loading limits again after a failed load
 * @param outagePolicy what to answer while Redis is unreachable, unless the org overrides it
 * @param localShare the fraction of each limit one replica enforces under the local policy
 */
public record LimiterSettings(
        Limits defaults,
        Duration idleTimeout,
        int maxBatchSize,
        int maxWaiting,
        Duration loadRetry,
        OutagePolicy outagePolicy,
        double localShare) {
}
