package ai.ratelimiter.windows;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.pattern.CircuitBreaker;

/**
 * Configuration of what happens while Redis cannot be reached: the deployment's outage
 * policy (organizations may override it), each replica's share of the limits under the
 * {@code local} policy, and the circuit breaker that stops callers waiting on a dead Redis.
 */
public class RedisOutageFactory {

    @NotNull
    @JsonProperty
    private OutagePolicy policy = OutagePolicy.LOCAL;

    /** Under {@code local}, the fraction of each limit one replica admits: 1 / replicas is exact. */
    @DecimalMin("0.0")
    @DecimalMax("1.0")
    @JsonProperty
    private double localShare = 0.5;

    /** Consecutive failures that open the circuit. */
    @Min(1)
    @Max(1000)
    @JsonProperty
    private int breakerMaxFailures = 5;

    /** A call slower than this counts as a failure. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration breakerCallTimeout = Duration.seconds(2);

    /** How long the circuit stays open before one call may try Redis again. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration breakerResetTimeout = Duration.seconds(2);

    public OutagePolicy getPolicy() {
        return policy;
    }

    public double getLocalShare() {
        return localShare;
    }

    public CircuitBreaker buildBreaker(Scheduler scheduler) {
        return CircuitBreaker.create(scheduler, breakerMaxFailures,
                java.time.Duration.ofMillis(breakerCallTimeout.toMilliseconds()),
                java.time.Duration.ofMillis(breakerResetTimeout.toMilliseconds()));
    }
}
