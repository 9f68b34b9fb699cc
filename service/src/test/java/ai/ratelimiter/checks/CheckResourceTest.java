package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /checks} and {@code GET /status} over HTTP against one running instance whose
 * window script reads a clock the tests move, so every figure in the answers is exact.
 */
class CheckResourceTest {

    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ManualClock clock;
    private static TestApp app;

    private String orgId;

    @BeforeAll
    static void start() throws Exception {
        clock = new ManualClock(NOON);
        app = TestApp.start(clock);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void newOrganization() {
        clock.set(NOON.toEpochMilli());
        orgId = TestApp.newOrgId();
    }

    @Test
    void firstCheckWithDefaultLimitsIsAllowed() {
        Response response = check(Map.of("estimatedTokens", 500));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("x-ratelimit-remaining-requests")).isEqualTo("59");
        assertThat(response.getHeaderString("x-ratelimit-remaining-tokens")).isEqualTo("99500");
    }

    @Test
    void allowedCheckAnswersItsBody() throws Exception {
        putLimits(10, 1_000, 100, 10_000);

        Response response = check(Map.of("estimatedTokens", 300, "requestId", "req-1"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getMediaType().toString()).isEqualTo("application/json");
        assertThat(body(response)).isEqualTo(JSON.readTree("""
                {"allowed": true, "requestId": "req-1", "duplicate": false,
                 "limits": {"requestsPerMinute": 10, "tokensPerMinute": 1000,
                            "requestsPerDay": 100, "tokensPerDay": 10000},
                 "remaining": {"requestsPerMinute": 9, "tokensPerMinute": 700,
                               "requestsPerDay": 99, "tokensPerDay": 9700},
                 "minuteResetMs": 60000, "dayResetMs": 43200000,
                 "decidedAtMs": %d, "decidedWithoutRedis": false}
                """.formatted(NOON.toEpochMilli())));
    }

    @Test
    void allowedCheckCarriesTheRateLimitHeadersWithoutRetryAfter() {
        putLimits(10, 1_000, 100, 10_000);

        Response response = check(Map.of("estimatedTokens", 300));

        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat(rateLimitHeaders(response)).containsExactly(
                "10", "9", "1m0s", "1000", "700", "1m0s",
                "\"requests\";q=10;w=60, \"tokens\";q=1000;w=60",
                "\"requests\";r=9;t=60, \"tokens\";r=700;t=60");
    }

    @Test
    void deniedCheckAnswers429WithReasonAndRetryAfterRoundedUp() throws Exception {
        putLimits(1, 1_000, 100, 10_000);
        check(Map.of("estimatedTokens", 100, "requestId", "first"));
        clock.advance(10_500);

        Response response = check(Map.of("estimatedTokens", 100, "requestId", "second"));

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("50");
        assertThat(body(response)).isEqualTo(JSON.readTree("""
                {"allowed": false, "requestId": "second", "duplicate": false,
                 "reason": "RATE_LIMIT_RPM", "retryAfterMs": 49500,
                 "limits": {"requestsPerMinute": 1, "tokensPerMinute": 1000,
                            "requestsPerDay": 100, "tokensPerDay": 10000},
                 "remaining": {"requestsPerMinute": 0, "tokensPerMinute": 900,
                               "requestsPerDay": 99, "tokensPerDay": 9900},
                 "minuteResetMs": 49500, "dayResetMs": 43189500,
                 "decidedAtMs": %d, "decidedWithoutRedis": false}
                """.formatted(NOON.toEpochMilli() + 10_500)));
    }

    @Test
    void deniedCheckCarriesTheRateLimitHeaders() {
        putLimits(1, 1_000, 100, 10_000);
        check(Map.of("estimatedTokens", 100));
        clock.advance(10_500);

        Response response = check(Map.of("estimatedTokens", 100));

        assertThat(rateLimitHeaders(response)).containsExactly(
                "1", "0", "49.5s", "1000", "900", "49.5s",
                "\"requests\";q=1;w=60, \"tokens\";q=1000;w=60",
                "\"requests\";r=0;t=50, \"tokens\";r=900;t=50");
    }

    @Test
    void retryAfterOfWholeSecondsIsNotRoundedFurther() {
        putLimits(1, 1_000, 100, 10_000);
        check(Map.of("estimatedTokens", 100));
        clock.advance(11_000);

        Response response = check(Map.of("estimatedTokens", 100));

        assertThat(response.getHeaderString("Retry-After")).isEqualTo("49");
    }

    @Test
    void retryAfterOfOneMillisecondIsOneSecond() {
        putLimits(1, 1_000, 100, 10_000);
        check(Map.of("estimatedTokens", 100));
        clock.advance(59_999);

        Response response = check(Map.of("estimatedTokens", 100));

        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(response.getHeaderString("x-ratelimit-reset-requests")).isEqualTo("1ms");
    }

    @Test
    void tooLargeCheckAnswers429WithoutRetry() throws Exception {
        putLimits(10, 1_000, 100, 10_000);

        Response response = check(Map.of("estimatedTokens", 1_001));

        JsonNode body = body(response);
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat(body.get("reason").asText()).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(body.has("retryAfterMs")).isFalse();
    }

    @Test
    void repeatedCheckIsAllowedAsADuplicateWithoutConsuming() throws Exception {
        putLimits(10, 1_000, 100, 10_000);
        check(Map.of("estimatedTokens", 300, "requestId", "same"));

        Response response = check(Map.of("estimatedTokens", 300, "requestId", "same"));

        JsonNode body = body(response);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body.get("duplicate").asBoolean()).isTrue();
        assertThat(body.get("remaining")).isEqualTo(JSON.readTree("""
                {"requestsPerMinute": 9, "tokensPerMinute": 700,
                 "requestsPerDay": 99, "tokensPerDay": 9700}
                """));
    }

    @Test
    void checkWithoutRequestIdGetsAGeneratedOne() {
        Response response = check(Map.of("estimatedTokens", 1));

        String requestId = body(response).get("requestId").asText();
        assertThat(UUID.fromString(requestId).toString()).isEqualTo(requestId);
    }

    @Test
    void statusShowsWhatChecksConsumed() throws Exception {
        putLimits(10, 1_000, 100, 10_000);
        check(Map.of("estimatedTokens", 300));
        clock.advance(1_000);
        check(Map.of("estimatedTokens", 200));
        clock.advance(1_000);

        Response response = app.target("/v1/orgs/" + orgId + "/status").request().get();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(JSON.readTree("""
                {"orgId": "%s", "nowMs": %d,
                 "limits": {"requestsPerMinute": 10, "tokensPerMinute": 1000,
                            "requestsPerDay": 100, "tokensPerDay": 10000},
                 "used": {"minuteRequests": 2, "minuteTokens": 500,
                          "dayRequests": 2, "dayTokens": 500},
                 "remaining": {"minuteRequests": 8, "minuteTokens": 500,
                               "dayRequests": 98, "dayTokens": 9500},
                 "minuteResetMs": 59000, "dayResetMs": 43198000}
                """.formatted(orgId, NOON.toEpochMilli() + 2_000)));
    }

    @Test
    void statusConsumesNothing() {
        putLimits(1, 1_000, 100, 10_000);
        app.target("/v1/orgs/" + orgId + "/status").request().get().close();
        app.target("/v1/orgs/" + orgId + "/status").request().get().close();

        Response response = check(Map.of("estimatedTokens", 100));

        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void statusOfAnUnknownOrganizationShowsDefaultsAndNothingUsed() throws Exception {
        Response response = app.target("/v1/orgs/" + orgId + "/status").request().get();

        JsonNode body = body(response);
        assertThat(body.get("used")).isEqualTo(JSON.readTree("""
                {"minuteRequests": 0, "minuteTokens": 0, "dayRequests": 0, "dayTokens": 0}
                """));
        assertThat(body.get("limits").get("requestsPerMinute").asLong()).isEqualTo(60);
    }

    private Response check(Map<String, Object> body) {
        Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(body));
        response.bufferEntity();
        return response;
    }

    private void putLimits(long rpm, long tpm, long rpd, long tpd) {
        Map<String, Long> limits = Map.of("requestsPerMinute", rpm, "tokensPerMinute", tpm,
                "requestsPerDay", rpd, "tokensPerDay", tpd);
        Response response = app.target("/v1/orgs/" + orgId + "/limits").request()
                .put(Entity.json(limits));
        assertThat(response.getStatus()).isEqualTo(200);
        response.close();
    }

    private static JsonNode body(Response response) {
        try {
            return JSON.readTree(response.readEntity(String.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> rateLimitHeaders(Response response) {
        return Stream.of("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
                "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens",
                "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", "RateLimit-Policy",
                "RateLimit")
                .map(response::getHeaderString)
                .toList();
    }
}
