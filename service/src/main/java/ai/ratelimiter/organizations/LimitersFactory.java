package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.RedisOutageFactory;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Configuration of the per-organization limiters. */
public class LimitersFactory {

    /** A limiter with no messages for this long stops; the next message starts a new one. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration idleTimeout = Duration.minutes(5);

    /** Most checks and usage records sent to Redis in one script call. */
    @Min(1)
    @Max(5000)
    @JsonProperty
    private int maxBatchSize = 256;

    /** Most messages one limiter holds while waiting; beyond that callers get 503. */
    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int maxWaiting = 10_000;

    /** How long a caller waits for its limiter before it gets 503. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration askTimeout = Duration.seconds(5);

    /** Pause before a limiter that could not load its limits tries again. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration loadRetry = Duration.seconds(5);

    /** Threads that run blocking Postgres reads of limits for the limiters. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int databaseThreads = 4;

    public LimiterSettings settings(Limits defaults, RedisOutageFactory outage) {
        return new LimiterSettings(defaults, java.time.Duration.ofMillis(idleTimeout.toMilliseconds()),
                maxBatchSize, maxWaiting, java.time.Duration.ofMillis(loadRetry.toMilliseconds()),
                outage.getPolicy(), outage.getLocalShare());
    }

    public java.time.Duration askTimeout() {
        return java.time.Duration.ofMillis(askTimeout.toMilliseconds());
    }

    public int getDatabaseThreads() {
        return databaseThreads;
    }
}
