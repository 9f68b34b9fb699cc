package ai.ratelimiter.checks;

import ai.ratelimiter.organizations.LimiterReply;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DEBUG line per denied or failed check, on loggers of their own so that an operator can
 * switch them on without the rest of DEBUG: {@code ai.ratelimiter.decisions.denied} for 429s
 * and {@code ai.ratelimiter.decisions.failed} for checks answered without a Redis decision
 * (503, or the outage policy). Denials are normal and frequent, so they are off at the default
 * level; their counts are in the metrics. Allowed checks are never logged here. Thread-safe.
 */
public final class DecisionLog {

    private static final Logger DENIED =
            LoggerFactory.getLogger("ai.ratelimiter.decisions.denied");
    private static final Logger FAILED =
            LoggerFactory.getLogger("ai.ratelimiter.decisions.failed");

    public void record(String orgId, String requestId, long estimatedTokens, LimiterReply reply) {
        if (!(reply instanceof LimiterReply.Done done) || done.result() == null) {
            if (FAILED.isDebugEnabled()) {
                String cause = reply instanceof LimiterReply.Unavailable unavailable
                        ? unavailable.message() : "no decision";
                FAILED.debug("check failed, no decision: orgId={} requestId={} estimatedTokens={}"
                        + " cause=\"{}\"", orgId, requestId, estimatedTokens, cause);
            }
            return;
        }
        OperationResult result = done.result();
        if (done.withoutRedis()) {
            FAILED.debug("check decided without redis: orgId={} requestId={} estimatedTokens={}"
                    + " outcome={} reason={}", orgId, requestId, estimatedTokens, result.outcome(),
                    result.reason());
        } else if (result.outcome() == Outcome.DENIED) {
            DENIED.debug("check denied: orgId={} requestId={} estimatedTokens={} reason={}"
                    + " retryAfterMs={}", orgId, requestId, estimatedTokens, result.reason(),
                    result.retryAfterMs());
        }
    }
}
