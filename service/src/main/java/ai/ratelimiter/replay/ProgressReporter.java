package ai.ratelimiter.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line to stderr every interval while the replay runs, and once more when
 * closed. Reads the tallies from its own timer thread; they are synchronized.
 */
public final class ProgressReporter implements AutoCloseable {

    private final PrintStream err;
    private final Collection<OrgTally> tallies;
    private final int total;
    private final long startNanos;
    private final ScheduledExecutorService timer;

    private ProgressReporter(PrintStream err, Collection<OrgTally> tallies, int total,
            ScheduledExecutorService timer) {
        this.err = err;
        this.tallies = tallies;
        this.total = total;
        this.startNanos = System.nanoTime();
        this.timer = timer;
    }

    /** Starts reporting; an interval of zero reports only at the end. */
    public static ProgressReporter start(PrintStream err, Collection<OrgTally> tallies, int total,
            Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "replay-progress");
            thread.setDaemon(true);
            return thread;
        });
        ProgressReporter reporter = new ProgressReporter(err, tallies, total, timer);
        if (!interval.isZero()) {
            long millis = interval.toMillis();
            timer.scheduleAtFixedRate(reporter::print, millis, millis, TimeUnit.MILLISECONDS);
        }
        return reporter;
    }

    private void print() {
        long sent = 0;
        long allowed = 0;
        long denied = 0;
        long errors = 0;
        for (OrgTally tally : tallies) {
            OrgTally.Counts counts = tally.counts();
            sent += counts.sent();
            allowed += counts.allowed() + counts.duplicates() + counts.allowedWithoutRedis();
            denied += counts.denied();
            errors += counts.errors();
        }
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        err.printf("replay progress: elapsedS=%.1f sent=%d/%d allowed=%d denied=%d errors=%d%n",
                elapsedSeconds, sent, total, allowed, denied, errors);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        print();
    }
}
