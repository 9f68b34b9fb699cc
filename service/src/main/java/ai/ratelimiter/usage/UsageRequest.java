package ai.ratelimiter.usage;

import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.Fields;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The body of {@code POST /v1/orgs/{orgId}/usage}, as the client sent it; {@link #toIncoming}
 * says what is accepted.
 */
public record UsageRequest(
        @JsonProperty("requestId") String requestId,
        @JsonProperty("userId") String userId,
        @JsonProperty("inputTokens") Long inputTokens,
        @JsonProperty("outputTokens") Long outputTokens,
        @JsonProperty("cacheReadTokens") Long cacheReadTokens,
        @JsonProperty("cacheWriteTokens") Long cacheWriteTokens,
        @JsonProperty("model") String model,
        @JsonProperty("provider") String provider,
        @JsonProperty("featureType") String featureType,
        @JsonProperty("entityType") String entityType,
        @JsonProperty("entityId") String entityId,
        @JsonProperty("durationMs") Long durationMs,
        @JsonProperty("occurredAt") String occurredAt) {

    /** The largest token count of each kind one usage record may carry: 10^12. */
    public static final long MAX_TOKENS_PER_RECORD = 1_000_000_000_000L;


    /** Instants before this are taken for a client's mistake (seconds sent as milliseconds...). */
    static final Instant EARLIEST_OCCURRED_AT = Instant.parse("2000-01-01T00:00:00Z");
    /** How far ahead of the service's clock a client's clock may run. */
    static final Duration MAX_OCCURRED_AHEAD = Duration.ofDays(1);
    /** Thirty days: no single AI call takes longer. */
    static final long MAX_DURATION_MS = 30L * 24 * 3600 * 1000;

    /**
     * The validated record of organization {@code orgId}, or 422 (400 for an unreadable
     * instant) naming the first field that is missing or out of range. {@code now} stands in
     * for an absent {@code occurredAt}; instants keep microseconds, as Postgres stores them.
     */
    public IncomingUsage toIncoming(String orgId, Instant now) {
        if (requestId == null) {
            throw ApiException.invalidField("requestId", "requestId is required");
        }
        Fields.optionalRequestId(requestId);
        long input = usageTokens("inputTokens", inputTokens, true);
        long output = usageTokens("outputTokens", outputTokens, true);
        Instant occurred = occurredAt == null ? now : parseOccurredAt(now);

        UsageRecord record = new UsageRecord(orgId, requestId,
                Fields.optionalLabel("userId", userId),
                input,
                output,
                usageTokens("cacheReadTokens", cacheReadTokens, false),
                usageTokens("cacheWriteTokens", cacheWriteTokens, false),
                Fields.optionalLabel("model", model),
                Fields.optionalLabel("provider", provider),
                Fields.optionalLabel("featureType", featureType),
                Fields.optionalLabel("entityType", entityType),
                Fields.optionalLabel("entityId", entityId),
                checkedDuration(),
                occurred.truncatedTo(ChronoUnit.MICROS));
        return new IncomingUsage(record, occurredAt != null);
    }

    /**
     * A token count of one call, at most {@link #MAX_TOKENS_PER_RECORD}: far above any real
     * call, and low enough that millions of records in one organization's hour still sum
     * exactly in the BIGINT aggregate columns.
     */
    private static long usageTokens(String field, Long value, boolean required) {
        long tokens = required ? Fields.requireTokens(field, value) : Fields.optionalTokens(field, value);
        if (tokens > MAX_TOKENS_PER_RECORD) {
            throw ApiException.invalidField(field, field + " must be between 0 and " + MAX_TOKENS_PER_RECORD);
        }
        return tokens;
    }

    private Instant parseOccurredAt(Instant now) {
        Instant parsed;
        try {
            parsed = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(occurredAt, OffsetDateTime::from)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("occurredAt", "occurredAt must be an ISO-8601 instant"
                    + " with offset, such as 2025-01-31T12:00:00Z");
        }
        if (parsed.isBefore(EARLIEST_OCCURRED_AT) || parsed.isAfter(now.plus(MAX_OCCURRED_AHEAD))) {
            throw ApiException.invalidField("occurredAt", "occurredAt must lie between "
                    + EARLIEST_OCCURRED_AT + " and one day after the service's clock");
        }
        return parsed;
    }

    private Long checkedDuration() {
        if (durationMs != null && (durationMs < 0 || durationMs > MAX_DURATION_MS)) {
            throw ApiException.invalidField("durationMs",
                    "durationMs must be between 0 and " + MAX_DURATION_MS);
        }
        return durationMs;
    }
}
