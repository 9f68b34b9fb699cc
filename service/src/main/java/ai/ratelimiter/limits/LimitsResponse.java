package ai.ratelimiter.limits;

/**
 * The body of the limits endpoints.
 *
 * @param source {@code custom} when the organization has its own row, {@code default} otherwise
 */
public record LimitsResponse(String orgId, Limits limits, String source) {
}
