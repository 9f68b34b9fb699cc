package ai.ratelimiter.usage;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The usage path's metrics: records stored, repeated and conflicting, committed transactions,
 * batch size, commit latency, queue depth, refusals, failures and failed reconciliations.
 * Thread-safe.
 */
public final class UsageMetrics {

    private final MetricRegistry registry;
    private final Meter stored;
    private final Meter repeated;
    private final Meter conflicts;
    private final Meter transactions;
    private final Histogram batchSize;
    private final Timer commitLatency;
    private final Meter queueFull;
    private final Meter failedTransactions;
    private final Meter failedRecords;
    private final Meter reconciliationFailures;

    public UsageMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.stored = registry.meter("usage.records-stored");
        this.repeated = registry.meter("usage.records-repeated");
        this.conflicts = registry.meter("usage.records-conflicting");
        this.transactions = registry.meter("usage.transactions");
        this.batchSize = registry.histogram("usage.batch-size");
        this.commitLatency = registry.timer("usage.commit-latency");
        this.queueFull = registry.meter("usage.queue-full");
        this.failedTransactions = registry.meter("usage.failed-transactions");
        this.failedRecords = registry.meter("usage.failed-records");
        this.reconciliationFailures = registry.meter("usage.reconciliation-failures");
    }

    void watchQueue(IntSupplier depth) {
        registry.register("usage.queue-depth", (Gauge<Integer>) depth::getAsInt);
    }

    void recordCommit(List<WriteOutcome> outcomes, long elapsedNanos) {
        transactions.mark();
        batchSize.update(outcomes.size());
        commitLatency.update(elapsedNanos, TimeUnit.NANOSECONDS);
        for (WriteOutcome outcome : outcomes) {
            switch (outcome.kind()) {
                case CREATED -> stored.mark();
                case REPEATED -> repeated.mark();
                case CONFLICT -> conflicts.mark();
            }
        }
    }

    void recordTransactionFailure() {
        failedTransactions.mark();
    }

    void recordFailedRecords(int count) {
        failedRecords.mark(count);
    }

    void recordQueueFull() {
        queueFull.mark();
    }

    void recordReconciliationFailure() {
        reconciliationFailures.mark();
    }

    /** Committed transactions so far. */
    public long transactionCount() {
        return transactions.getCount();
    }

    /** Records stored for the first time so far. */
    public long storedCount() {
        return stored.getCount();
    }
}
