package ai.ratelimiter.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Configuration of usage statistics queries. */
public class StatsFactory {

    /** Longest from/to range one query may ask for. */
    @NotNull
    @MinDuration(value = 30, unit = TimeUnit.DAYS)
    @MaxDuration(value = 3660, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration maxSpan = Duration.days(400);

    /**
     * Most statistics queries running at once on this replica; more get 503. Keeps a burst of
     * queries from taking every pooled connection from the usage writer.
     */
    @Min(1)
    @Max(256)
    @JsonProperty
    private int maxConcurrentQueries = 4;

    public java.time.Duration maxSpan() {
        return java.time.Duration.ofMillis(maxSpan.toMilliseconds());
    }

    public int getMaxConcurrentQueries() {
        return maxConcurrentQueries;
    }
}
