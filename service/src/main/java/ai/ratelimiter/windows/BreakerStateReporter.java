package ai.ratelimiter.windows;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.apache.pekko.pattern.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Redis circuit breaker's state visible: a gauge (0 closed, 1 half-open, 2 open)
 * and one log line per transition, so an operator sees when the outage policy took over.
 */
public final class BreakerStateReporter {

    private static final Logger LOG = LoggerFactory.getLogger(BreakerStateReporter.class);

    private BreakerStateReporter() {
    }

    public static void attach(CircuitBreaker breaker, MetricRegistry metrics, String policyName) {
        metrics.register("windows.circuit-breaker.state", (Gauge<Integer>) () ->
                breaker.isOpen() ? 2 : breaker.isHalfOpen() ? 1 : 0);
        breaker.addOnOpenListener(() -> LOG.warn("redis circuit opened, checks answered by the outage"
                + " policy without waiting for redis: defaultPolicy={}", policyName));
        breaker.addOnHalfOpenListener(() -> LOG.info("redis circuit half-open, trying one call"));
        breaker.addOnCloseListener(() -> LOG.info("redis circuit closed, checks use redis again"));
    }
}
