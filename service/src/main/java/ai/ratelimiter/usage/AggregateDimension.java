package ai.ratelimiter.usage;

import java.util.function.Function;

/**
 * The attributes usage is summed by in {@code ai_usage_hourly}. Every record adds to exactly
 * one row of each dimension per hour, so each dimension's rows also sum to the totals.
 */
public enum AggregateDimension {
    FEATURE("feature", UsageRecord::featureType),
    MODEL("model", UsageRecord::model),
    USER("user", UsageRecord::userId);

    /** The key stored for a record without the attribute; stored labels are never empty. */
    public static final String ABSENT_KEY = "";

    private final String code;
    private final Function<UsageRecord, String> attribute;

    AggregateDimension(String code, Function<UsageRecord, String> attribute) {
        this.code = code;
        this.attribute = attribute;
    }

    /** The value of the {@code dimension} column. */
    public String code() {
        return code;
    }

    /** The value of the {@code dim_key} column for {@code record}. */
    public String keyOf(UsageRecord record) {
        String value = attribute.apply(record);
        return value == null ? ABSENT_KEY : value;
    }
}
