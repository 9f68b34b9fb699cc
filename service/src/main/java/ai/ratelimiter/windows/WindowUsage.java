package ai.ratelimiter.windows;

import ai.ratelimiter.limits.Limits;

/** What the four windows of an organization hold at one instant. */
public record WindowUsage(long minuteRequests, long minuteTokens, long dayRequests, long dayTokens) {

    public static final WindowUsage EMPTY = new WindowUsage(0, 0, 0, 0);

    /** What is left of each limit, never below zero. */
    public WindowUsage remainingOf(Limits limits) {
        return new WindowUsage(
                Math.max(0, limits.requestsPerMinute() - minuteRequests),
                Math.max(0, limits.tokensPerMinute() - minuteTokens),
                Math.max(0, limits.requestsPerDay() - dayRequests),
                Math.max(0, limits.tokensPerDay() - dayTokens));
    }
}
