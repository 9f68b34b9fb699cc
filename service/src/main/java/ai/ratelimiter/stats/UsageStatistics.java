package ai.ratelimiter.stats;

import ai.ratelimiter.usage.AggregateDimension;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Answers statistics queries exactly while reading a bounded amount: the whole UTC hours of the
 * range from {@code ai_usage_hourly}, and only the partial hours at its two ends from
 * {@code ai_usage} through its (org_id, occurred_at) index. Each record lies in exactly one of
 * those parts, since the hourly rows bucket records by the hour of {@code occurredAt}. Both
 * parts are read in one repeatable-read transaction, so a batch committing meanwhile is seen
 * whole or not at all. Thread-safe.
 */
public final class UsageStatistics {

    /** What the breakdown calls records without the attribute. */
    public static final String UNKNOWN_KEY = "unknown";

    private static final String SUM_HOURLY = "SELECT <key> AS key, SUM(requests) AS requests,"
            + " SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,"
            + " SUM(cache_read_tokens) AS cache_read_tokens,"
            + " SUM(cache_write_tokens) AS cache_write_tokens"
            + " FROM ai_usage_hourly"
            + " WHERE org_id = :orgId AND dimension = :dimension"
            + " AND hour_start >= :from AND hour_start < :to"
            + " GROUP BY 1";

    private static final String SUM_RAW = "SELECT <key> AS key, COUNT(*) AS requests,"
            + " SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,"
            + " SUM(cache_read_tokens) AS cache_read_tokens,"
            + " SUM(cache_write_tokens) AS cache_write_tokens"
            + " FROM ai_usage"
            + " WHERE org_id = :orgId AND occurred_at >= :from AND occurred_at < :to"
            + " GROUP BY 1";

    private record KeyedSums(String key, UsageSums sums) {
    }

    private final Jdbi jdbi;

    public UsageStatistics(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public StatsResponse load(StatsQuery query) {
        Map<String, UsageSums> byKey = jdbi.inTransaction(
                TransactionIsolationLevel.REPEATABLE_READ, handle -> sumByKey(handle, query));

        List<StatsResponse.Entry> breakdown = new ArrayList<>(byKey.size());
        UsageSums totals = UsageSums.ZERO;
        for (Map.Entry<String, UsageSums> entry : byKey.entrySet()) {
            breakdown.add(StatsResponse.Entry.of(entry.getKey(), entry.getValue()));
            totals = totals.plus(entry.getValue());
        }
        return new StatsResponse(query.orgId(), query.from().toString(), query.to().toString(),
                totals, query.groupBy().wireName(), breakdown);
    }

    /**
     * Splits {@code [from, to)} at the first and last hour boundary inside it: whole hours come
     * from the hourly rows, the partial hours before and after them from the raw rows. A range
     * that contains no whole hour is read from the raw rows alone (at most two partial hours).
     */
    private static Map<String, UsageSums> sumByKey(Handle handle, StatsQuery query) {
        Map<String, UsageSums> sums = new TreeMap<>();
        Instant firstWholeHour = ceilToHour(query.from());
        Instant endOfWholeHours = query.to().truncatedTo(ChronoUnit.HOURS);
        if (firstWholeHour.isBefore(endOfWholeHours)) {
            addRaw(handle, query, query.from(), firstWholeHour, sums);
            addHourly(handle, query, firstWholeHour, endOfWholeHours, sums);
            addRaw(handle, query, endOfWholeHours, query.to(), sums);
        } else {
            addRaw(handle, query, query.from(), query.to(), sums);
        }
        return sums;
    }

    private static Instant ceilToHour(Instant instant) {
        Instant floor = instant.truncatedTo(ChronoUnit.HOURS);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.HOURS);
    }

    private static void addHourly(Handle handle, StatsQuery query, Instant from, Instant to,
            Map<String, UsageSums> sums) {
        AggregateDimension dimension = query.groupBy().dimension();
        handle.createQuery(SUM_HOURLY)
                .define("key", query.groupBy().hourlyKey())
                .bind("orgId", query.orgId())
                .bind("dimension", dimension.code())
                .bind("from", utc(from))
                .bind("to", utc(to))
                .map((rs, ctx) -> readRow(rs))
                .forEach(row -> sums.merge(row.key(), row.sums(), UsageSums::plus));
    }

    private static void addRaw(Handle handle, StatsQuery query, Instant from, Instant to,
            Map<String, UsageSums> sums) {
        if (!from.isBefore(to)) {
            return;
        }
        handle.createQuery(SUM_RAW)
                .define("key", query.groupBy().rawKey())
                .bind("orgId", query.orgId())
                .bind("from", utc(from))
                .bind("to", utc(to))
                .map((rs, ctx) -> readRow(rs))
                .forEach(row -> sums.merge(row.key(), row.sums(), UsageSums::plus));
    }

    /** One result row; the absent-attribute key becomes {@code unknown}, as a literal one is. */
    private static KeyedSums readRow(ResultSet rs) throws SQLException {
        String key = rs.getString("key");
        UsageSums sums = new UsageSums(rs.getLong("requests"), rs.getLong("input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"),
                rs.getLong("cache_write_tokens"));
        return new KeyedSums(key.equals(AggregateDimension.ABSENT_KEY) ? UNKNOWN_KEY : key, sums);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
