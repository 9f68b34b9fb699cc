package ai.ratelimiter.stats;

import java.util.List;

/**
 * The body of {@code GET /v1/orgs/{orgId}/usage/stats}: totals over {@code [from, to)} (ISO-8601
 * UTC, {@code from} inclusive, {@code to} exclusive) and the breakdown by {@code groupBy},
 * sorted by key; {@code unknown} holds records without the attribute.
 */
public record StatsResponse(String orgId, String from, String to, UsageSums totals, String groupBy,
        List<Entry> breakdown) {

    /** One key of the breakdown with its sums. */
    public record Entry(String key, long requests, long inputTokens, long outputTokens,
            long cacheReadTokens, long cacheWriteTokens) {

        static Entry of(String key, UsageSums sums) {
            return new Entry(key, sums.requests(), sums.inputTokens(), sums.outputTokens(),
                    sums.cacheReadTokens(), sums.cacheWriteTokens());
        }
    }
}
