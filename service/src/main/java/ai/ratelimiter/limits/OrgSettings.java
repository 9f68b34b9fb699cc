package ai.ratelimiter.limits;

import ai.ratelimiter.windows.OutagePolicy;
import java.util.Optional;

/**
 * What an organization's limiter needs to know about it: its limits, and the Redis outage
 * policy it chose, if it overrides the deployment's. Immutable.
 *
 * @param redisOutagePolicy the organization's own policy, or {@code null} for the default
 */
public record OrgSettings(Limits limits, OutagePolicy redisOutagePolicy) {

    public static OrgSettings of(Limits limits) {
        return new OrgSettings(limits, null);
    }

    public Optional<OutagePolicy> outagePolicyOverride() {
        return Optional.ofNullable(redisOutagePolicy);
    }
}
