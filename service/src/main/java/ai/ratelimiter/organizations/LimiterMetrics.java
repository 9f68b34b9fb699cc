package ai.ratelimiter.organizations;

import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.StoreFailure;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The limiters' metrics, shared by every organization's actor: decisions by outcome and
 * reason, denials answered from memory, script latency, coalesced batch size, and store
 * failures by kind (timeouts, connection errors, script errors, open circuit). Thread-safe.
 */
public final class LimiterMetrics {

    private final Meter allowed;
    private final Meter duplicates;
    private final Map<Reason, Meter> denied = new EnumMap<>(Reason.class);
    private final Meter cachedDenials;
    private final Map<StoreFailure, Meter> storeFailures = new EnumMap<>(StoreFailure.class);
    private final Timer scriptLatency;
    private final Histogram batchSize;

    public LimiterMetrics(MetricRegistry registry) {
        this.allowed = registry.meter("checks.allowed");
        this.duplicates = registry.meter("checks.duplicate");
        for (Reason reason : Reason.values()) {
            denied.put(reason, registry.meter("checks.denied." + reason.name()));
        }
        this.cachedDenials = registry.meter("checks.denied-from-cache");
        for (StoreFailure failure : StoreFailure.values()) {
            storeFailures.put(failure, registry.meter("windows.failures." + failure.name()));
        }
        this.scriptLatency = registry.timer("windows.script-latency");
        this.batchSize = registry.histogram("windows.batch-size");
    }

    void recordDecision(OperationResult result) {
        if (result.outcome() == Outcome.ALLOWED) {
            allowed.mark();
        } else if (result.outcome() == Outcome.DUPLICATE) {
            duplicates.mark();
        } else if (result.outcome() == Outcome.DENIED) {
            denied.get(result.reason()).mark();
        }
    }

    void recordBatch(int operations, long elapsedNanos) {
        batchSize.update(operations);
        scriptLatency.update(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    void recordCachedDenial(OperationResult result) {
        cachedDenials.mark();
        recordDecision(result);
    }

    void recordStoreFailure(StoreFailure failure) {
        storeFailures.get(failure).mark();
    }
}
