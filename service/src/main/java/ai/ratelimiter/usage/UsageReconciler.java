package ai.ratelimiter.usage;

import ai.ratelimiter.organizations.LimiterReply;
import ai.ratelimiter.organizations.OrgLimiters;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a newly stored usage record into its organization's windows: the actual count
 * replaces the check's estimate, or counts as of now when there was no check. A failure to
 * reach the shared Redis windows is logged and counted but never fails the answer: the record
 * is stored, and the windows heal as entries leave them. Thread-safe.
 */
public final class UsageReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(UsageReconciler.class);

    private final OrgLimiters limiters;
    private final UsageMetrics metrics;

    public UsageReconciler(OrgLimiters limiters, UsageMetrics metrics) {
        this.limiters = limiters;
        this.metrics = metrics;
    }

    /** Completes, never exceptionally, once the organization's limiter answered or gave up. */
    public CompletionStage<Void> reconcile(UsageRecord record) {
        return limiters.recordUsage(record.orgId(), record.requestId(), record.countedTokens())
                .handle((reply, failure) -> {
                    Optional<String> problem = failure != null
                            ? Optional.of(failure.toString()) : problemOf(reply);
                    if (problem.isPresent()) {
                        metrics.recordReconciliationFailure();
                        LOG.warn("usage stored but not reconciled with the Redis windows: orgId={}"
                                + " tokens={} reason={}", record.orgId(), record.countedTokens(),
                                problem.get());
                    }
                    return null;
                });
    }

    /**
     * Why the reply means the Redis windows were not corrected: the limiter was unavailable, or
     * it answered from the outage policy (the local windows may have counted it, Redis did not).
     */
    private static Optional<String> problemOf(LimiterReply reply) {
        if (reply instanceof LimiterReply.Unavailable unavailable) {
            return Optional.of(unavailable.message());
        }
        if (reply instanceof LimiterReply.Done done && done.withoutRedis()) {
            return Optional.of("redis unreachable, outage policy applied");
        }
        return Optional.empty();
    }
}
