package ai.ratelimiter.usage;

import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of usage records. Callers hand records to {@link #submit} and get a future; one
 * writer thread takes what has arrived (up to {@code maxBatchSize} records, waiting at most
 * {@code linger} after the first), stores them in one transaction with their hourly sums, and
 * only after the commit completes each caller's future, on the {@code answers} executor so
 * that no caller's continuation delays the next batch. Records that arrive while a batch is
 * being written form the next one, so batches grow with the load by themselves.
 *
 * <p>A dedicated thread rather than a Pekko actor: every step of the writer is a blocking JDBC
 * call on one connection, so an actor would only hand each step to an executor and pipe the
 * result back, keeping by messages the "one batch in flight" state that a thread keeps by
 * running its loop. An {@link ArrayBlockingQueue} gives a hard bound and an immediate refusal
 * when full, which a {@code tell} to an actor does not; and whether a thread still lives is
 * something a health check can ask.
 *
 * <p>Failures: a deadlock or serialization failure retries the batch a few times. When the
 * database refuses a row's content (a constraint, a data error, a trigger), the batch is
 * written again one record per transaction, so that one bad record fails alone and the others
 * commit. Any other failure (such as a lost database) fails every record of the batch. In every
 * case a record is either committed with its sums or not stored at all, and a failed caller
 * may retry with the same request id.
 *
 * <p>Threads: {@code submit}, {@link #queueDepth} and {@link #findProblem} from any thread; the
 * batch state belongs to the writer thread. Stopping refuses new records, commits those queued
 * and then ends the thread.
 */
public final class UsageWriter implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);

    /** A caller waits for its answer: past this, a 503 with Retry-After serves it better. */
    private static final long RETRY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_POLL_MS = 100;

    private final UsageStore store;
    private final UsageWriterSettings settings;
    private final UsageMetrics metrics;
    private final Executor answers;
    private final BlockingQueue<PendingWrite> queue;
    private final Thread thread;

    private volatile boolean accepting;
    /** The oldest record of the batch being written, or null between batches. */
    private volatile PendingWrite oldestInFlight;

    private record PendingWrite(IncomingUsage usage, long enqueuedNanos,
            CompletableFuture<WriteOutcome> answer) {
    }

    public UsageWriter(UsageStore store, UsageWriterSettings settings, UsageMetrics metrics,
            Executor answers) {
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
        this.answers = answers;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, "usage-writer");
        metrics.watchQueue(queue::size);
    }

    /**
     * Queues {@code usage} for the next batch. The future completes after the record's
     * transaction committed, or fails with {@link UsageUnavailableException}: at once when the
     * queue is full or the writer is stopped, later when its transaction failed.
     */
    public CompletableFuture<WriteOutcome> submit(IncomingUsage usage) {
        if (!accepting) {
            return refused("usage writer is stopped");
        }
        PendingWrite pending = new PendingWrite(usage, System.nanoTime(),
                new CompletableFuture<>());
        if (!queue.offer(pending)) {
            metrics.recordQueueFull();
            return refused("usage queue is full");
        }
        // Stopping may have begun between the check above and the offer; the writer drains
        // until it sees both "stopped" and an empty queue, so a record it missed is still here.
        if (!accepting && queue.remove(pending)) {
            return refused("usage writer is stopped");
        }
        return pending.answer();
    }

    private static CompletableFuture<WriteOutcome> refused(String reason) {
        return CompletableFuture.failedFuture(new UsageUnavailableException(reason));
    }

    /** Records waiting for the writer, not counting the batch being written. */
    public int queueDepth() {
        return queue.size();
    }

    /**
     * Why the writer is not healthy, if it is not: its thread died, or a record has waited
     * unanswered for longer than {@code stuckAfter}.
     */
    public Optional<String> findProblem() {
        if (accepting && !thread.isAlive()) {
            return Optional.of("usage writer thread is not running");
        }
        long now = System.nanoTime();
        long oldest = now;
        PendingWrite inFlight = oldestInFlight;
        if (inFlight != null) {
            oldest = inFlight.enqueuedNanos();
        }
        PendingWrite head = queue.peek();
        if (head != null && head.enqueuedNanos() - oldest < 0) {
            oldest = head.enqueuedNanos();
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - oldest);
        if (waitedMs > settings.stuckAfter().toMillis()) {
            return Optional.of("oldest usage record has waited " + waitedMs + " ms (bound "
                    + settings.stuckAfter().toMillis() + " ms), queued=" + queue.size());
        }
        return Optional.empty();
    }

    @Override
    public void start() {
        accepting = true;
        thread.start();
        LOG.info("usage writer started: maxBatchSize={} lingerMs={} queueCapacity={}",
                settings.maxBatchSize(), settings.linger().toMillis(), settings.queueCapacity());
    }

    @Override
    public void stop() throws InterruptedException {
        accepting = false;
        thread.join(settings.shutdownTimeout().toMillis());
        if (thread.isAlive()) {
            LOG.error("usage writer did not finish in time, failing what is queued: queued={}"
                    + " timeoutMs={}", queue.size(), settings.shutdownTimeout().toMillis());
            thread.interrupt();
        }
        List<PendingWrite> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left, new UsageUnavailableException("usage writer is stopped"));
        LOG.info("usage writer stopped: unanswered={}", left.size());
    }

    private void run() {
        try {
            while (true) {
                PendingWrite first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!accepting) {
                        return;
                    }
                    continue;
                }
                write(collect(first));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The batch starting with {@code first}: what is queued, then what comes during the linger. */
    private List<PendingWrite> collect(PendingWrite first) throws InterruptedException {
        int max = settings.maxBatchSize();
        List<PendingWrite> batch = new ArrayList<>(Math.min(max, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, max - batch.size());
        long deadline = System.nanoTime() + settings.linger().toNanos();
        while (batch.size() < max && accepting) {
            long waitNanos = deadline - System.nanoTime();
            if (waitNanos <= 0) {
                break;
            }
            PendingWrite next = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, max - batch.size());
        }
        return batch;
    }

    private void write(List<PendingWrite> batch) {
        oldestInFlight = batch.get(0);
        long started = System.nanoTime();
        try {
            List<WriteOutcome> outcomes = writeWithRetries(batch, started);
            metrics.recordCommit(outcomes, System.nanoTime() - started);
            for (int i = 0; i < batch.size(); i++) {
                answer(batch.get(i), outcomes.get(i));
            }
        } catch (RuntimeException failure) {
            metrics.recordTransactionFailure();
            if (batch.size() > 1 && StoreFailures.isContentRefused(failure)) {
                LOG.warn("usage batch refused, writing its records one by one: records={} {}",
                        batch.size(), StoreFailures.describe(failure));
                writeOneByOne(batch);
            } else {
                failBatch(batch, failure, started);
            }
        } catch (Error fatal) {
            failAll(batch, new UsageUnavailableException("usage writer failed", fatal));
            throw fatal;
        } finally {
            oldestInFlight = null;
        }
    }

    private void writeOneByOne(List<PendingWrite> batch) {
        for (PendingWrite pending : batch) {
            write(List.of(pending));
        }
    }

    /**
     * Fails every record of {@code batch}. Logged without the exception's stack: its messages
     * carry the statement with the record's content, which does not belong in a log.
     */
    private void failBatch(List<PendingWrite> batch, RuntimeException failure, long started) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (StoreFailures.isContentRefused(failure)) {
            // Validation should have kept this record out: someone must look at it.
            UsageRecord record = batch.get(0).usage().record();
            LOG.error("usage record refused by the database: orgId={} requestId={} {}",
                    record.orgId(), record.requestId(), StoreFailures.describe(failure));
        } else {
            LOG.warn("usage batch failed: records={} elapsedMs={} {}",
                    batch.size(), elapsedMs, StoreFailures.describe(failure));
        }
        metrics.recordFailedRecords(batch.size());
        failAll(batch, new UsageUnavailableException("usage store unavailable", failure));
    }

    /** Writes the batch, again after a deadlock or serialization failure, within a deadline. */
    private List<WriteOutcome> writeWithRetries(List<PendingWrite> batch, long started) {
        List<IncomingUsage> records = new ArrayList<>(batch.size());
        for (PendingWrite pending : batch) {
            records.add(pending.usage());
        }
        List<RuntimeException> earlier = new ArrayList<>();
        while (true) {
            try {
                return store.write(records);
            } catch (RuntimeException failure) {
                boolean retry = StoreFailures.isTransient(failure)
                        && earlier.size() < settings.transientRetries()
                        && System.nanoTime() - started < RETRY_DEADLINE_NANOS
                        && pauseBeforeRetry();
                if (!retry) {
                    earlier.forEach(failure::addSuppressed);
                    throw failure;
                }
                earlier.add(failure);
            }
        }
    }

    /** A short random pause, so that two writers that deadlocked do not meet again in step. */
    private static boolean pauseBeforeRetry() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 20));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void answer(PendingWrite pending, WriteOutcome outcome) {
        try {
            answers.execute(() -> pending.answer().complete(outcome));
        } catch (RejectedExecutionException e) {
            pending.answer().complete(outcome);
        }
    }

    private void failAll(List<PendingWrite> batch, UsageUnavailableException failure) {
        for (PendingWrite pending : batch) {
            try {
                answers.execute(() -> pending.answer().completeExceptionally(failure));
            } catch (RejectedExecutionException e) {
                pending.answer().completeExceptionally(failure);
            }
        }
    }
}
