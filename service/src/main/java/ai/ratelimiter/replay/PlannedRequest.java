package ai.ratelimiter.replay;

/**
 * One check the replay will send, and the usage record that follows it when usage is on.
 * Immutable.
 *
 * @param index position in the trace, from 0
 * @param dueNanos when to send it, in ns after the replay starts (already compressed)
 * @param estimatedTokens what the check asks for: the actual tokens times the estimate factor
 */
public record PlannedRequest(
        int index,
        String orgId,
        String requestId,
        long dueNanos,
        long inputTokens,
        long outputTokens,
        long estimatedTokens,
        String model,
        String featureType) {

    public long actualTokens() {
        return inputTokens + outputTokens;
    }
}
