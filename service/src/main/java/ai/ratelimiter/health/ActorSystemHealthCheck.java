package ai.ratelimiter.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The {@code actor-system} health check, which liveness depends on: healthy while the
 * limiters' actor system answers a message within a bound. It fails only when the process is
 * wedged (the actors no longer run), never because Redis or Postgres are down: the actors
 * answer by the outage policy then.
 */
public final class ActorSystemHealthCheck extends HealthCheck {

    private final Function<Duration, CompletionStage<?>> ping;
    private final Duration bound;

    /**
     * @param ping sends a message to an actor and completes when it answers, failing after the
     *     given timeout
     */
    public ActorSystemHealthCheck(Function<Duration, CompletionStage<?>> ping, Duration bound) {
        this.ping = ping;
        this.bound = bound;
    }

    @Override
    protected Result check() throws InterruptedException {
        try {
            // The extra second covers a ping that cannot even schedule its own timeout.
            ping.apply(bound).toCompletableFuture().get(bound.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return Result.healthy();
        } catch (ExecutionException | TimeoutException e) {
            return Result.unhealthy("actor system did not answer within " + bound.toMillis() + "ms");
        }
    }
}
