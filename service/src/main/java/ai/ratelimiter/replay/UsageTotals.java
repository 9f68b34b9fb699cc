package ai.ratelimiter.replay;

/**
 * Request and token totals of usage records: either those the replay had acknowledged, or
 * the {@code totals} of the service's statistics. Immutable.
 */
public record UsageTotals(long requests, long inputTokens, long outputTokens) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, 0);

    UsageTotals plus(long input, long output) {
        return new UsageTotals(requests + 1, inputTokens + input, outputTokens + output);
    }
}
