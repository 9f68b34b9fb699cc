package ai.ratelimiter.limits;

import ai.ratelimiter.windows.OutagePolicy;

/**
 * The body of the limits endpoints.
 *
 * @param source {@code custom} when the organization has its own row, {@code default} otherwise
 * @param redisOutagePolicy the policy in force for this organization while Redis is down
 */
public record LimitsResponse(String orgId, Limits limits, String source, OutagePolicy redisOutagePolicy) {
}
