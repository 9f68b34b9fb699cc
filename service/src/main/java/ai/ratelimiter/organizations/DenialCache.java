package ai.ratelimiter.organizations;

import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.WindowSnapshot;

/**
 * Remembers one organization's latest denial that nothing but time can lift, so that the
 * limiter answers it again without Redis until then.
 *
 * <p>Only denials whose longest wait comes from a request count qualify (per minute or per
 * day): request entries leave only by expiry, and no replica can admit anything while the
 * count is full. A later check with an estimate no larger than the remembered one gets the
 * same reason and the same retry instant from Redis too: its token wait can only be shorter.
 * Token-bound denials are not remembered: a downward reconciliation on any replica can lift
 * them early. The retry instant is measured on this JVM's monotonic clock from the moment the
 * answer arrived, which is never earlier than Redis's own instant. Not thread-safe: owned by
 * one limiter actor.
 */
final class DenialCache {

    private OperationResult denial;
    private WindowSnapshot snapshot;
    private long estimate;
    private long untilNanos;
    private long rememberedAtNanos;

    void remember(long checkEstimate, OperationResult result, WindowSnapshot atDecision, long nowNanos) {
        if (result.outcome() != Outcome.DENIED || result.retryAfterMs() <= 0) {
            return;
        }
        Reason reason = result.reason();
        if (reason != Reason.RATE_LIMIT_RPM && reason != Reason.RATE_LIMIT_DAILY_REQUESTS) {
            return;
        }
        denial = result;
        snapshot = atDecision;
        estimate = checkEstimate;
        rememberedAtNanos = nowNanos;
        untilNanos = nowNanos + result.retryAfterMs() * 1_000_000L;
    }

    /** The remembered denial, with its wait shortened by the time passed, or {@code null}. */
    OperationResult find(long checkEstimate, long nowNanos) {
        if (denial == null || nowNanos >= untilNanos) {
            denial = null;
            return null;
        }
        if (checkEstimate > estimate) {
            return null;
        }
        long remainingMs = (untilNanos - nowNanos + 999_999) / 1_000_000;
        return new OperationResult(Outcome.DENIED, denial.reason(), remainingMs, denial.usage());
    }

    /** The windows' state as of the remembered denial, with its clock moved on. */
    WindowSnapshot snapshot(long nowNanos) {
        long passedMs = (nowNanos - rememberedAtNanos) / 1_000_000;
        return new WindowSnapshot(snapshot.nowMs() + passedMs, snapshot.usage(),
                Math.max(0, snapshot.minuteResetMs() - passedMs), Math.max(0, snapshot.dayResetMs() - passedMs));
    }

    void clear() {
        denial = null;
    }
}
