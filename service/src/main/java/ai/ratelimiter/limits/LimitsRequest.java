package ai.ratelimiter.limits;

import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.Fields;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code PUT /v1/orgs/{orgId}/limits}: all four limits, each required. */
public record LimitsRequest(
        @JsonProperty("requestsPerMinute") Long requestsPerMinute,
        @JsonProperty("tokensPerMinute") Long tokensPerMinute,
        @JsonProperty("requestsPerDay") Long requestsPerDay,
        @JsonProperty("tokensPerDay") Long tokensPerDay) {

    /** The limits asked for, or 422 naming the first field that is missing or out of range. */
    public Limits toLimits() {
        return new Limits(
                required("requestsPerMinute", requestsPerMinute),
                required("tokensPerMinute", tokensPerMinute),
                required("requestsPerDay", requestsPerDay),
                required("tokensPerDay", tokensPerDay));
    }

    private static long required(String field, Long value) {
        if (value == null) {
            throw ApiException.invalidField(field, field + " is required");
        }
        return Fields.requireTokens(field, value);
    }
}
