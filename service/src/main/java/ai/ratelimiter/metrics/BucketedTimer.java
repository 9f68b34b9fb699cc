package ai.ratelimiter.metrics;

import com.codahale.metrics.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A Dropwizard timer that also counts its durations into fixed buckets and keeps their exact
 * sum, so that it can be exported as a Prometheus histogram: quantiles of a Dropwizard
 * reservoir cannot be added up across replicas, bucket counts can. The JSON {@code /metrics}
 * report still shows it as an ordinary timer. Thread-safe.
 */
public final class BucketedTimer extends Timer {

    /**
     * Upper bounds in seconds for request-path latencies: a check costs well under a
     * millisecond of the service's own time, and callers give up after a few seconds.
     */
    public static final double[] LATENCY_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5
    };

    private final double[] boundsSeconds;
    private final long[] boundsNanos;
    /** One more than the bounds: the last counts durations above every bound. */
    private final LongAdder[] counts;
    private final LongAdder sumNanos = new LongAdder();

    public BucketedTimer(double[] boundsSeconds) {
        if (boundsSeconds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bucket bound");
        }
        this.boundsSeconds = boundsSeconds.clone();
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++) {
            if (i > 0 && boundsSeconds[i] <= boundsSeconds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: "
                        + Arrays.toString(boundsSeconds));
            }
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        }
        this.counts = new LongAdder[boundsSeconds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    @Override
    public void update(long duration, TimeUnit unit) {
        super.update(duration, unit);
        long nanos = unit.toNanos(duration);
        if (nanos < 0) {
            return;
        }
        int bucket = Arrays.binarySearch(boundsNanos, nanos);
        counts[bucket >= 0 ? bucket : -bucket - 1].increment();
        sumNanos.add(nanos);
    }

    @Override
    public void update(Duration duration) {
        update(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    // Timer's own time(...) methods record through a private method: route them through update.

    @Override
    public <T> T time(Callable<T> event) throws Exception {
        long started = System.nanoTime();
        try {
            return event.call();
        } finally {
            update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public <T> T timeSupplier(Supplier<T> event) {
        long started = System.nanoTime();
        try {
            return event.get();
        } finally {
            update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void time(Runnable event) {
        long started = System.nanoTime();
        try {
            event.run();
        } finally {
            update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** The bucket counts now, cumulative as Prometheus wants them. */
    public Buckets buckets() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i].sum();
            cumulative[i] = running;
        }
        return new Buckets(boundsSeconds.clone(), cumulative, sumNanos.sum() / 1e9);
    }

    /**
     * A reading of the buckets.
     *
     * @param boundsSeconds each bucket's upper bound
     * @param cumulativeCounts durations at or below each bound, then (last) all durations
     * @param sumSeconds the sum of all durations
     */
    public record Buckets(double[] boundsSeconds, long[] cumulativeCounts, double sumSeconds) {

        public long count() {
            return cumulativeCounts[cumulativeCounts.length - 1];
        }
    }
}
