package ai.ratelimiter.replay;

/**
 * What the service answered to one check, or why there was no decision. Immutable.
 *
 * @param error {@code null} for a decision; otherwise what went wrong, for example
 *     {@code HTTP 503} or {@code HttpTimeoutException}
 * @param reason the denial reason, {@code null} when allowed
 * @param decidedAtMs the decision instant on the service's Redis clock
 */
public record CheckAnswer(String error, boolean allowed, boolean duplicate, String reason,
        long decidedAtMs) {

    static CheckAnswer allowed(boolean duplicate, long decidedAtMs) {
        return new CheckAnswer(null, true, duplicate, null, decidedAtMs);
    }

    static CheckAnswer denied(String reason, long decidedAtMs) {
        return new CheckAnswer(null, false, false, reason, decidedAtMs);
    }

    static CheckAnswer failed(String error) {
        return new CheckAnswer(error, false, false, null, 0);
    }

    public boolean isDecision() {
        return error == null;
    }
}
