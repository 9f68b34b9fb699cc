package ai.ratelimiter.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished AI call as it is stored in {@code ai_usage}: immutable, so any thread may read it.
 * {@code occurredAt} has microsecond precision, as Postgres keeps it; optional attributes are
 * {@code null} when absent.
 */
public record UsageRecord(
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
        Instant occurredAt) {

    /** The tokens counted against the limits: cache tokens are billed, not limited. */
    public long countedTokens() {
        return inputTokens + outputTokens;
    }

    /**
     * Whether {@code other} records the same call. The instant is compared only when the
     * client gave it: a repeat without {@code occurredAt} may not know the instant the
     * service chose the first time.
     */
    public boolean sameContentAs(UsageRecord other, boolean compareOccurredAt) {
        return orgId.equals(other.orgId)
                && requestId.equals(other.requestId)
                && Objects.equals(userId, other.userId)
                && inputTokens == other.inputTokens
                && outputTokens == other.outputTokens
                && cacheReadTokens == other.cacheReadTokens
                && cacheWriteTokens == other.cacheWriteTokens
                && Objects.equals(model, other.model)
                && Objects.equals(provider, other.provider)
                && Objects.equals(featureType, other.featureType)
                && Objects.equals(entityType, other.entityType)
                && Objects.equals(entityId, other.entityId)
                && Objects.equals(durationMs, other.durationMs)
                && (!compareOccurredAt || occurredAt.equals(other.occurredAt));
    }
}
