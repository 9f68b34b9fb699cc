package ai.ratelimiter.checks;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.WindowUsage;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of a check's answer, allowed (200) or denied (429).
 *
 * @param duplicate the request id was already allowed in the minute window; nothing consumed
 * @param retryAfterMs when the same check could pass; absent when waiting cannot help
 * @param remaining what is left in each window after this check
 * @param minuteResetMs time until the minute windows are empty again
 * @param dayResetMs time until the daily windows reset at 00:00 UTC
 * @param decidedAtMs the instant of the decision on the Redis clock, in ms since the epoch
 * @param decidedWithoutRedis the answer came from the outage policy, not from the windows
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResponse(
        boolean allowed,
        String requestId,
        boolean duplicate,
        Reason reason,
        Long retryAfterMs,
        Limits limits,
        Remaining remaining,
        long minuteResetMs,
        long dayResetMs,
        long decidedAtMs,
        boolean decidedWithoutRedis) {

    /** What is left of each limit. */
    public record Remaining(long requestsPerMinute, long tokensPerMinute, long requestsPerDay,
            long tokensPerDay) {

        static Remaining of(WindowUsage remaining) {
            return new Remaining(remaining.minuteRequests(), remaining.minuteTokens(),
                    remaining.dayRequests(), remaining.dayTokens());
        }
    }

    static final List<String> HEADER_NAMES = List.of("x-ratelimit-limit-requests",
            "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens");
}
