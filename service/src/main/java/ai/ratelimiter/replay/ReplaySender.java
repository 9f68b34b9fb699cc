package ai.ratelimiter.replay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends the planned checks at their due instants from the calling thread, which only sleeps
 * and hands requests to the asynchronous HTTP client; answers are tallied on the client's
 * threads. At most {@code maxInFlight} checks (each with its usage record, when usage is on)
 * are outstanding: when that many are, sending waits, and the delay shows as lag. Use one
 * instance per replay, from one thread.
 */
public final class ReplaySender {

    private final LimiterClient client;
    private final Map<String, OrgTally> tallies;
    private final int maxInFlight;
    private final boolean usage;
    private final Duration drainTimeout;

    public ReplaySender(LimiterClient client, Map<String, OrgTally> tallies, int maxInFlight,
            boolean usage, Duration drainTimeout) {
        this.client = client;
        this.tallies = tallies;
        this.maxInFlight = maxInFlight;
        this.usage = usage;
        this.drainTimeout = drainTimeout;
    }

    /** Sends every request of {@code plan} and returns once all of them are answered. */
    public SendStats send(List<PlannedRequest> plan) throws InterruptedException {
        Semaphore permits = new Semaphore(maxInFlight);
        long start = System.nanoTime();
        long maxLag = 0;
        long totalLag = 0;
        for (PlannedRequest planned : plan) {
            long due = start + planned.dueNanos();
            sleepUntil(due);
            permits.acquire();
            long lag = Math.max(0, System.nanoTime() - due);
            maxLag = Math.max(maxLag, lag);
            totalLag += lag;

            OrgTally tally = tallies.get(planned.orgId());
            tally.recordSent();
            sendOne(planned, tally).whenComplete((ignored, failure) -> permits.release());
        }

        // Every call has its own timeout, so all permits come back; the deadline guards a bug.
        if (!permits.tryAcquire(maxInFlight, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("answers still missing " + drainTimeout.toSeconds()
                    + " s after the last check was sent");
        }
        long elapsed = System.nanoTime() - start;
        long scheduled = plan.isEmpty() ? 0 : plan.get(plan.size() - 1).dueNanos();
        long meanLag = plan.isEmpty() ? 0 : totalLag / plan.size();
        return new SendStats(plan.size(), scheduled, elapsed, maxLag, meanLag);
    }

    private CompletableFuture<Void> sendOne(PlannedRequest planned, OrgTally tally) {
        return client.check(planned).thenCompose(answer -> {
            if (!answer.isDecision()) {
                tally.recordError(answer.error());
            } else if (!answer.allowed()) {
                tally.recordDenied(answer.reason());
            } else if (answer.duplicate()) {
                tally.recordDuplicate();
            } else if (answer.withoutRedis()) {
                tally.recordAllowedWithoutRedis();
                if (usage) {
                    return recordUsage(planned, tally).thenAccept(acknowledged -> { });
                }
            } else if (usage) {
                return recordUsage(planned, tally).thenAccept(acknowledged -> {
                    long estimate = planned.estimatedTokens();
                    long counted = acknowledged ? planned.actualTokens() : estimate;
                    tally.recordAdmission(new Admission(answer.decidedAtMs(), estimate, counted));
                });
            } else {
                long estimate = planned.estimatedTokens();
                tally.recordAdmission(new Admission(answer.decidedAtMs(), estimate, estimate));
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Sends the usage record of an allowed check; completes with whether the service
     * acknowledged it. Unacknowledged, the window keeps the estimate as far as the replay can
     * tell.
     */
    private CompletableFuture<Boolean> recordUsage(PlannedRequest planned, OrgTally tally) {
        return client.recordUsage(planned).thenApply(error -> {
            if (error == null) {
                tally.recordUsage(planned.inputTokens(), planned.outputTokens());
                return true;
            }
            tally.recordError(error);
            return false;
        });
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        while (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
            remaining = deadlineNanos - System.nanoTime();
        }
    }
}
