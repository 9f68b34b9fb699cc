package ai.ratelimiter.checks;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /v1/orgs/{orgId}/checks}, as the client sent it; see
 * {@code CheckResource} for what is accepted.
 */
public record CheckRequest(
        @JsonProperty("estimatedTokens") Long estimatedTokens,
        @JsonProperty("requestId") String requestId,
        @JsonProperty("userId") String userId,
        @JsonProperty("model") String model,
        @JsonProperty("featureType") String featureType) {
}
