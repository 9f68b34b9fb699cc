package ai.ratelimiter.replay;

/**
 * One check the service allowed, as the replay saw it. Immutable.
 *
 * @param atMs the decision instant on the Redis clock ({@code decidedAtMs} of the answer)
 * @param estimatedTokens the tokens the check consumed
 * @param countedTokens the tokens the window holds for it in the end: the actual count when a
 *     usage record for it was acknowledged (reconciliation replaced the estimate), otherwise
 *     the estimate
 */
public record Admission(long atMs, long estimatedTokens, long countedTokens) {

    /**
     * The tokens the limiter is answerable for: the counted tokens, but never more than the
     * estimate, since an actual count above the estimate arrives after the admission and the
     * limiter cannot refuse what has already happened.
     */
    public long boundedTokens() {
        return Math.min(estimatedTokens, countedTokens);
    }
}
