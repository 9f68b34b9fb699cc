package ai.ratelimiter.limits;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Configuration of the limits that apply to every organization without a row of its own in
 * {@code ai_rate_limits}. The environment can override each value (see {@code config.yml}).
 */
public class DefaultLimitsFactory {

    @Min(0)
    @Max(Limits.MAX_VALUE)
    @JsonProperty
    private long requestsPerMinute = 60;

    @Min(0)
    @Max(Limits.MAX_VALUE)
    @JsonProperty
    private long tokensPerMinute = 100_000;

    @Min(0)
    @Max(Limits.MAX_VALUE)
    @JsonProperty
    private long requestsPerDay = 10_000;

    @Min(0)
    @Max(Limits.MAX_VALUE)
    @JsonProperty
    private long tokensPerDay = 5_000_000;

    public Limits build() {
        return new Limits(requestsPerMinute, tokensPerMinute, requestsPerDay, tokensPerDay);
    }
}
