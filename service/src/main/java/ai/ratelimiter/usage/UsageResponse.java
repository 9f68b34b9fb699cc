package ai.ratelimiter.usage;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of a 201 or 200 answer to {@code POST /v1/orgs/{orgId}/usage}: the record as it is
 * stored. Attributes the record does not have are left out; {@code occurredAt} is ISO-8601 UTC.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageResponse(
        String orgId,
        String requestId,
        String userId,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        String model,
        String provider,
        String featureType,
        String entityType,
        String entityId,
        Long durationMs,
        String occurredAt) {

    public static UsageResponse of(UsageRecord record) {
        return new UsageResponse(record.orgId(), record.requestId(), record.userId(),
                record.inputTokens(), record.outputTokens(), record.cacheReadTokens(),
                record.cacheWriteTokens(), record.model(), record.provider(), record.featureType(),
                record.entityType(), record.entityId(), record.durationMs(),
                record.occurredAt().toString());
    }
}
