package ai.ratelimiter.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of {@code ai_usage_hourly}: what a set of records adds to one organization, UTC
 * hour, dimension and key. Immutable.
 */
record HourlyTotal(String orgId, AggregateDimension dimension, Instant hourStart, String key,
        long requests, long inputTokens, long outputTokens, long cacheReadTokens,
        long cacheWriteTokens) {

    /**
     * Every transaction upserts its rows in this order, so two transactions (on one replica
     * or several) that touch the same rows lock them in the same order and cannot deadlock.
     */
    private static final Comparator<HourlyTotal> LOCK_ORDER = Comparator
            .comparing(HourlyTotal::orgId)
            .thenComparing(total -> total.dimension().code())
            .thenComparing(HourlyTotal::hourStart)
            .thenComparing(HourlyTotal::key);

    /** The sums of {@code records} by hour, dimension and key, in lock order. */
    static List<HourlyTotal> of(List<UsageRecord> records) {
        Map<HourlyTotal, HourlyTotal> sums = new TreeMap<>(LOCK_ORDER);
        for (UsageRecord record : records) {
            Instant hour = record.occurredAt().truncatedTo(ChronoUnit.HOURS);
            for (AggregateDimension dimension : AggregateDimension.values()) {
                HourlyTotal one = new HourlyTotal(record.orgId(), dimension, hour,
                        dimension.keyOf(record), 1, record.inputTokens(), record.outputTokens(),
                        record.cacheReadTokens(), record.cacheWriteTokens());
                sums.merge(one, one, HourlyTotal::plus);
            }
        }
        return new ArrayList<>(sums.values());
    }

    private HourlyTotal plus(HourlyTotal other) {
        return new HourlyTotal(orgId, dimension, hourStart, key, requests + other.requests,
                inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens);
    }
}
