package ai.ratelimiter.windows;

import ai.ratelimiter.concurrent.PlainStages;
import ai.ratelimiter.limits.Limits;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.pattern.CircuitBreaker;

/**
 * Runs window-store calls on their own executor behind a circuit breaker: after repeated
 * failures the breaker opens and calls fail at once instead of each waiting for Redis to
 * time out; after a pause it lets one call through and closes again when that succeeds.
 * Thread-safe.
 */
public final class BreakerWindowCalls implements WindowCalls {

    private final WindowStore store;
    private final Executor executor;
    private final CircuitBreaker breaker;

    public BreakerWindowCalls(WindowStore store, Executor executor, CircuitBreaker breaker) {
        this.store = store;
        this.executor = executor;
        this.breaker = breaker;
    }

    @Override
    public CompletionStage<BatchResult> apply(String orgId, Limits limits, List<WindowOperation> operations) {
        return PlainStages.bridge(breaker.callWithCircuitBreakerCS(() ->
                CompletableFuture.supplyAsync(() -> store.apply(orgId, limits, operations), executor)),
                PlainStages.SAME_THREAD);
    }
}
