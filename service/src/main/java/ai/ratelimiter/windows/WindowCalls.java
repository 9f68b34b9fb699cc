package ai.ratelimiter.windows;

import ai.ratelimiter.limits.Limits;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous calls to the window store, as the organizations' limiters make them: the
 * returned stage completes on another thread, never the caller's. Thread-safe.
 */
public interface WindowCalls {

    /** Applies the operations atomically; fails with the store's error, classified by {@link StoreFailure}. */
    CompletionStage<BatchResult> apply(String orgId, Limits limits, List<WindowOperation> operations);
}
