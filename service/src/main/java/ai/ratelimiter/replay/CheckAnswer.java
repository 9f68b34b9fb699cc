package ai.ratelimiter.replay;

/**
 * What the service answered to one check, or why there was no decision. Immutable.
 *
 * @param error {@code null} for a decision; otherwise what went wrong, for example
 *     {@code HTTP 503} or {@code HttpTimeoutException}
 * @param reason the denial reason, {@code null} when allowed
 * @param decidedAtMs the decision instant on the service's Redis clock
 * @param withoutRedis the service's outage policy allowed it while Redis was unreachable, so
 *     no window holds it
 */
public record CheckAnswer(String error, boolean allowed, boolean duplicate, String reason,
        long decidedAtMs, boolean withoutRedis) {

    static CheckAnswer allowed(boolean duplicate, long decidedAtMs, boolean withoutRedis) {
        return new CheckAnswer(null, true, duplicate, null, decidedAtMs, withoutRedis);
    }

    static CheckAnswer denied(String reason, long decidedAtMs) {
        return new CheckAnswer(null, false, false, reason, decidedAtMs, false);
    }

    static CheckAnswer failed(String error) {
        return new CheckAnswer(error, false, false, null, 0, false);
    }

    public boolean isDecision() {
        return error == null;
    }
}
