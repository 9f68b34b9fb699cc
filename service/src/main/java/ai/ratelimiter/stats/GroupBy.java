package ai.ratelimiter.stats;

import ai.ratelimiter.usage.AggregateDimension;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a statistics breakdown is keyed by, with where each key comes from: the hourly rows of
 * one dimension (days sum the feature rows, which hold every record once) and the raw column.
 */
public enum GroupBy {
    FEATURE("feature", AggregateDimension.FEATURE, "dim_key", "COALESCE(feature_type, '')"),
    MODEL("model", AggregateDimension.MODEL, "dim_key", "COALESCE(model, '')"),
    USER("user", AggregateDimension.USER, "dim_key", "COALESCE(user_id, '')"),
    DAY("day", AggregateDimension.FEATURE, "to_char(hour_start AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

    private final String wireName;
    private final AggregateDimension dimension;
    private final String hourlyKey;
    private final String rawKey;

    GroupBy(String wireName, AggregateDimension dimension, String hourlyKey, String rawKey) {
        this.wireName = wireName;
        this.dimension = dimension;
        this.hourlyKey = hourlyKey;
        this.rawKey = rawKey;
    }

    public static Optional<GroupBy> find(String wireName) {
        return Arrays.stream(values()).filter(value -> value.wireName.equals(wireName)).findFirst();
    }

    public String wireName() {
        return wireName;
    }

    AggregateDimension dimension() {
        return dimension;
    }

    /** SQL for the key of an {@code ai_usage_hourly} row; a constant, never client text. */
    String hourlyKey() {
        return hourlyKey;
    }

    /** SQL for the key of an {@code ai_usage} row; a constant, never client text. */
    String rawKey() {
        return rawKey;
    }
}
