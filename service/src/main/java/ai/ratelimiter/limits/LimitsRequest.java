package ai.ratelimiter.limits;

import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.Fields;
import ai.ratelimiter.windows.OutagePolicy;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code PUT /v1/orgs/{orgId}/limits}: all four limits, each required, and an
 * optional Redis outage policy ({@code deny}, {@code allow} or {@code local}) that overrides
 * the deployment's for this organization.
 */
public record LimitsRequest(
        @JsonProperty("requestsPerMinute") Long requestsPerMinute,
        @JsonProperty("tokensPerMinute") Long tokensPerMinute,
        @JsonProperty("requestsPerDay") Long requestsPerDay,
        @JsonProperty("tokensPerDay") Long tokensPerDay,
        @JsonProperty("redisOutagePolicy") String redisOutagePolicy) {

    /** The settings asked for, or 422 naming the first field that is missing or out of range. */
    public OrgSettings toSettings() {
        Limits limits = new Limits(
                required("requestsPerMinute", requestsPerMinute),
                required("tokensPerMinute", tokensPerMinute),
                required("requestsPerDay", requestsPerDay),
                required("tokensPerDay", tokensPerDay));
        return new OrgSettings(limits, policy());
    }

    private OutagePolicy policy() {
        if (redisOutagePolicy == null) {
            return null;
        }
        try {
            return OutagePolicy.parse(redisOutagePolicy);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("redisOutagePolicy", e.getMessage());
        }
    }

    private static long required(String field, Long value) {
        if (value == null) {
            throw ApiException.invalidField(field, field + " is required");
        }
        return Fields.requireTokens(field, value);
    }
}
