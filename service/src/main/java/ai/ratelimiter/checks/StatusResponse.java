package ai.ratelimiter.checks;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.WindowUsage;

/**
 * The body of {@code GET /v1/orgs/{orgId}/status}: what each window holds now.
 *
 * @param nowMs the Redis clock reading the figures belong to
 */
public record StatusResponse(String orgId, long nowMs, Limits limits, WindowUsage used,
        WindowUsage remaining, long minuteResetMs, long dayResetMs) {
}
