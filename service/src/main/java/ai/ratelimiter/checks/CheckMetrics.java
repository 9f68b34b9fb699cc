package ai.ratelimiter.checks;

import ai.ratelimiter.metrics.BucketedTimer;
import ai.ratelimiter.organizations.LimiterReply;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.util.concurrent.TimeUnit;

/**
 * What the HTTP edge of a check measures beyond the limiters' own decision counts: how long a
 * valid check took to be decided (a histogram), checks no decision could be made for, and
 * checks decided by the Redis outage policy. Thread-safe.
 */
public final class CheckMetrics {

    private final BucketedTimer latency;
    private final Meter unavailable;
    private final Meter withoutRedis;

    public CheckMetrics(MetricRegistry registry) {
        this.latency = (BucketedTimer) registry.timer("checks.latency",
                () -> new BucketedTimer(BucketedTimer.LATENCY_SECONDS));
        this.unavailable = registry.meter("checks.unavailable");
        this.withoutRedis = registry.meter("checks.decided-without-redis");
    }

    /** Records the answer to one check that took {@code elapsedNanos} since it arrived. */
    public void record(LimiterReply reply, long elapsedNanos) {
        latency.update(elapsedNanos, TimeUnit.NANOSECONDS);
        if (reply instanceof LimiterReply.Done done && done.result() != null) {
            if (done.withoutRedis()) {
                withoutRedis.mark();
            }
        } else {
            unavailable.mark();
        }
    }
}
