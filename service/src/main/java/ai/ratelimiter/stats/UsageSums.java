package ai.ratelimiter.stats;

/** Sums of usage records: how many, and their tokens of each kind. Immutable. */
public record UsageSums(long requests, long inputTokens, long outputTokens, long cacheReadTokens,
        long cacheWriteTokens) {

    public static final UsageSums ZERO = new UsageSums(0, 0, 0, 0, 0);

    public UsageSums plus(UsageSums other) {
        return new UsageSums(requests + other.requests, inputTokens + other.inputTokens,
                outputTokens + other.outputTokens, cacheReadTokens + other.cacheReadTokens,
                cacheWriteTokens + other.cacheWriteTokens);
    }
}
