package ai.ratelimiter.usage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Configuration of usage recording: the group-commit writer and its answers to callers. */
public class UsageFactory {

    /** Most records written in one transaction. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int maxBatchSize = 500;

    /** Longest wait for more records once the first of a batch arrived; 0 writes at once. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration linger = Duration.milliseconds(5);

    /** Most records waiting for the writer; beyond that callers get 503 at once. */
    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int queueCapacity = 10_000;

    /** A record unanswered for longer makes the {@code usage-writer} health check fail. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration stuckAfter = Duration.seconds(30);

    /** How often a batch that hit a deadlock or serialization failure is tried again. */
    @Min(0)
    @Max(10)
    @JsonProperty
    private int transientRetries = 2;

    /** How long stopping waits for queued records to commit before failing them. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration shutdownTimeout = Duration.seconds(30);

    /** The Retry-After of a 503 answer (queue full, database unavailable). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    @JsonProperty
    private Duration retryAfter = Duration.seconds(1);

    /** Threads that complete callers' futures, so their continuations never hold the writer. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int answerThreads = 2;

    @JsonIgnore
    @ValidationMethod(message = "usage.queueCapacity must be at least usage.maxBatchSize")
    public boolean isQueueAtLeastOneBatch() {
        return queueCapacity >= maxBatchSize;
    }

    public UsageWriterSettings settings() {
        return new UsageWriterSettings(maxBatchSize, toJava(linger), queueCapacity,
                toJava(stuckAfter), transientRetries, toJava(shutdownTimeout));
    }

    public long retryAfterSeconds() {
        return (retryAfter.toMilliseconds() + 999) / 1000;
    }

    public int getAnswerThreads() {
        return answerThreads;
    }

    private static java.time.Duration toJava(Duration duration) {
        return java.time.Duration.ofNanos(duration.toNanoseconds());
    }
}
