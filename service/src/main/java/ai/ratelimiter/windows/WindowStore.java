package ai.ratelimiter.windows;

import ai.ratelimiter.limits.Limits;
import java.util.List;

/**
 * Applies operations to an organization's windows atomically. Implementations block on I/O;
 * callers run them off actor threads. Thread-safe.
 */
public interface WindowStore {

    /**
     * Applies the operations in order, all in one atomic step, and reports each answer.
     * An empty list only reads the windows.
     *
     * @throws WindowStoreException when the store cannot be reached or fails
     */
    BatchResult apply(String orgId, Limits limits, List<WindowOperation> operations);

    /** Whether the store answers right now. */
    boolean ping();
}
