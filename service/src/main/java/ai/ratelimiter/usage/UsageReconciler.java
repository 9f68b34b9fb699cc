package ai.ratelimiter.usage;

import ai.ratelimiter.organizations.LimiterReply;
import ai.ratelimiter.organizations.OrgLimiters;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a newly stored usage record into its organization's windows: the actual count
 * replaces the check's estimate, or counts as of now when there was no check. A failure is
 * logged and counted but never fails the answer: the record is stored, and the windows heal
 * as entries leave them. Thread-safe.
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
                    if (failure != null || reply instanceof LimiterReply.Unavailable) {
                        metrics.recordReconciliationFailure();
                        String reason = failure != null ? failure.toString()
                                : ((LimiterReply.Unavailable) reply).message();
                        LOG.warn("usage stored but not reconciled with the windows: orgId={}"
                                + " tokens={} reason={}", record.orgId(), record.countedTokens(),
                                reason);
                    }
                    return null;
                });
    }
}
