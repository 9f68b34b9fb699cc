package ai.ratelimiter.usage;

import java.time.Duration;

/**
 * The usage writer's resolved settings: immutable, read at start-up from {@link UsageFactory}.
 *
 * @param maxBatchSize most records in one transaction
 * @param linger longest wait for more records after the first of a batch arrived
 * @param queueCapacity most records waiting for the writer; beyond that callers get 503
 * @param stuckAfter how long a record may wait unanswered before the writer counts as stuck
 * @param transientRetries how often a batch that hit a deadlock or serialization failure is
 *     tried again
 * @param shutdownTimeout how long stopping waits for the queued records to commit
 */
public record UsageWriterSettings(int maxBatchSize, Duration linger, int queueCapacity,
        Duration stuckAfter, int transientRetries, Duration shutdownTimeout) {
}
