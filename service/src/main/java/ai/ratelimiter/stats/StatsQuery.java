package ai.ratelimiter.stats;

import ai.ratelimiter.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A validated statistics query: the organization's usage over {@code [from, to)}, that is
 * records with {@code from <= occurredAt < to}, broken down by {@code groupBy}. Immutable.
 */
public record StatsQuery(String orgId, Instant from, Instant to, GroupBy groupBy) {

    private static final Instant EARLIEST = Instant.EPOCH;
    /** Keeps instants inside what Postgres and ISO-8601 without a year sign both hold. */
    private static final Instant END_OF_TIME = Instant.parse("+10000-01-01T00:00:00Z");

    /**
     * The query the parameters ask for, or 400/422 naming the first bad parameter. Periods end
     * at {@code now}: {@code day} starts at 00:00 UTC today, {@code week} 7 x 24 h and
     * {@code month} 30 x 24 h before now. Without period and from/to the period is {@code day}.
     */
    public static StatsQuery parse(String orgId, String period, String from, String to,
            String groupBy, Instant now, Duration maxSpan) {
        GroupBy grouping = parseGroupBy(groupBy);
        if (from != null || to != null) {
            if (period != null) {
                throw ApiException.invalidField("period",
                        "give either period or from and to, not both");
            }
            return explicit(orgId, from, to, grouping, maxSpan);
        }
        Instant start = periodStart(period == null ? "day" : period, now);
        return new StatsQuery(orgId, start, now, grouping);
    }

    private static GroupBy parseGroupBy(String groupBy) {
        if (groupBy == null) {
            return GroupBy.FEATURE;
        }
        return GroupBy.find(groupBy).orElseThrow(() -> ApiException.invalidField("groupBy",
                "groupBy must be one of feature, model, user, day"));
    }

    private static Instant periodStart(String period, Instant now) {
        return switch (period) {
            case "day" -> now.truncatedTo(ChronoUnit.DAYS);
            case "week" -> now.minus(Duration.ofDays(7));
            case "month" -> now.minus(Duration.ofDays(30));
            default -> throw ApiException.invalidField("period",
                    "period must be one of day, week, month");
        };
    }

    private static StatsQuery explicit(String orgId, String from, String to, GroupBy grouping,
            Duration maxSpan) {
        if (from == null) {
            throw ApiException.invalidField("from", "from is required with to");
        }
        if (to == null) {
            throw ApiException.invalidField("to", "to is required with from");
        }
        Instant start = parseInstant("from", from);
        Instant end = parseInstant("to", to);

        if (!start.isBefore(end)) {
            throw ApiException.invalidField("to", "to must be after from");
        }
        if (Duration.between(start, end).compareTo(maxSpan) > 0) {
            throw ApiException.invalidField("to",
                    "from and to may be at most " + maxSpan.toDays() + " days apart");
        }
        return new StatsQuery(orgId, start, end, grouping);
    }

    private static Instant parseInstant(String field, String value) {
        Instant instant;
        try {
            instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, OffsetDateTime::from)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, field
                    + " must be an ISO-8601 instant with offset, such as 2025-01-31T12:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(END_OF_TIME)) {
            throw ApiException.invalidField(field, field + " must lie in the years 1970 to 9999");
        }
        return instant;
    }
}
