package ai.ratelimiter.limits;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The four limits of one organization. Immutable; safe to share between threads.
 *
 * <p>Every value lies between 0 and {@link #MAX_VALUE}: Redis evaluates the window script with
 * double-precision numbers, which are exact only up to 2^53 - 1.
 */
public record Limits(
        @JsonProperty("requestsPerMinute") long requestsPerMinute,
        @JsonProperty("tokensPerMinute") long tokensPerMinute,
        @JsonProperty("requestsPerDay") long requestsPerDay,
        @JsonProperty("tokensPerDay") long tokensPerDay) {

    /** The largest limit or token count the service accepts: 2^53 - 1. */
    public static final long MAX_VALUE = (1L << 53) - 1;

    public Limits {
        requireInRange("requestsPerMinute", requestsPerMinute);
        requireInRange("tokensPerMinute", tokensPerMinute);
        requireInRange("requestsPerDay", requestsPerDay);
        requireInRange("tokensPerDay", tokensPerDay);
    }

    private static void requireInRange(String name, long value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 0 and " + MAX_VALUE);
        }
    }
}
