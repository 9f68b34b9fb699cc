package ai.ratelimiter.organizations;

import ai.ratelimiter.metrics.BucketedTimer;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.StoreFailure;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limiters' metrics, shared by every organization's actor: decisions by outcome and
 * reason, denials answered from memory, script latency, coalesced batch size, store
 * failures by kind (timeouts, connection errors, script errors, open circuit), failed loads
 * of limits from Postgres, and how many limiters are active. Thread-safe.
 */
public final class LimiterMetrics {

    private final Meter allowed;
    private final Meter duplicates;
    private final Map<Reason, Meter> denied = new EnumMap<>(Reason.class);
    private final Meter cachedDenials;
    private final Map<StoreFailure, Meter> storeFailures = new EnumMap<>(StoreFailure.class);
    private final Timer scriptLatency;
    private final Histogram batchSize;
    private final Meter limitsLoadFailures;
    /** Set by the registry actor whenever its map changes, so the gauge never asks an actor. */
    private final AtomicInteger activeLimiters = new AtomicInteger();

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
        this.scriptLatency = registry.timer("windows.script-latency",
                () -> new BucketedTimer(BucketedTimer.LATENCY_SECONDS));
        this.batchSize = registry.histogram("windows.batch-size");
        this.limitsLoadFailures = registry.meter("limits.load-failures");
        registry.register("organizations.active-limiters", (Gauge<Integer>) activeLimiters::get);
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

    void recordLimitsLoadFailure() {
        limitsLoadFailures.mark();
    }

    void recordActiveLimiters(int count) {
        activeLimiters.set(count);
    }
}
