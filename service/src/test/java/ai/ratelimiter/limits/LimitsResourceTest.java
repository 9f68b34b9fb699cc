package ai.ratelimiter.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET}, {@code PUT} and {@code DELETE /limits} over HTTP, and that a change applies to
 * the organization's very next check, whether or not its limiter is already running.
 */
class LimitsResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_LIMITS = """
            {"requestsPerMinute": 60, "tokensPerMinute": 100000,
             "requestsPerDay": 10000, "tokensPerDay": 5000000}
            """;

    private static TestApp app;

    private String orgId;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @BeforeEach
    void newOrganization() {
        orgId = TestApp.newOrgId();
    }

    @Test
    void organizationWithoutARowReadsTheDefaults() {
        Response response = app.target(limitsPath()).request().get();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(json("""
                {"orgId": "%s", "source": "default", "limits": %s, "redisOutagePolicy": "local"}
                """.formatted(orgId, DEFAULT_LIMITS)));
    }

    @Test
    void putStoresTheLimitsAndReadsThemBackAsCustom() {
        Response put = putLimits(5, 1_000, 50, 9_007_199_254_740_991L);

        Response read = app.target(limitsPath()).request().get();

        String expected = """
                {"orgId": "%s", "source": "custom", "redisOutagePolicy": "local",
                 "limits": {"requestsPerMinute": 5, "tokensPerMinute": 1000,
                            "requestsPerDay": 50, "tokensPerDay": 9007199254740991}}
                """.formatted(orgId);
        assertThat(put.getStatus()).isEqualTo(200);
        assertThat(body(put)).isEqualTo(json(expected));
        assertThat(body(read)).isEqualTo(json(expected));
    }

    @Test
    void putBeforeTheFirstCheckAppliesToIt() {
        putLimits(5, 1_000, 50, 5_000).close();

        Response check = check(100);

        assertThat(check.getHeaderString("x-ratelimit-limit-requests")).isEqualTo("5");
        assertThat(check.getHeaderString("x-ratelimit-remaining-tokens")).isEqualTo("900");
    }

    @Test
    void putWhileTheLimiterIsRunningAppliesToTheNextCheck() {
        check(100).close();
        putLimits(1, 1_000, 50, 5_000).close();

        Response next = check(100);

        assertThat(next.getStatus()).isEqualTo(429);
        assertThat(body(next).get("reason").asText()).isEqualTo("RATE_LIMIT_RPM");
        assertThat(next.getHeaderString("x-ratelimit-limit-requests")).isEqualTo("1");
    }

    @Test
    void deleteResetsToTheDefaultsForTheNextCheck() {
        putLimits(1, 1_000, 50, 5_000).close();
        check(100).close();

        Response deleted = app.target(limitsPath()).request().delete();
        Response next = check(100);
        Response read = app.target(limitsPath()).request().get();

        assertThat(deleted.getStatus()).isEqualTo(200);
        assertThat(body(deleted).get("source").asText()).isEqualTo("default");
        assertThat(next.getStatus()).isEqualTo(200);
        assertThat(next.getHeaderString("x-ratelimit-limit-requests")).isEqualTo("60");
        assertThat(next.getHeaderString("x-ratelimit-remaining-requests")).isEqualTo("58");
        assertThat(body(read)).isEqualTo(json("""
                {"orgId": "%s", "source": "default", "limits": %s, "redisOutagePolicy": "local"}
                """.formatted(orgId, DEFAULT_LIMITS)));
    }

    @Test
    void deleteOfAnOrganizationWithoutARowAnswersTheDefaults() {
        Response deleted = app.target(limitsPath()).request().delete();

        assertThat(deleted.getStatus()).isEqualTo(200);
        assertThat(body(deleted)).isEqualTo(json("""
                {"orgId": "%s", "source": "default", "limits": %s, "redisOutagePolicy": "local"}
                """.formatted(orgId, DEFAULT_LIMITS)));
    }

    @Test
    void limitsOfZeroAreAcceptedAndDenyWithoutRetry() {
        putLimits(0, 1_000, 50, 5_000).close();

        Response check = check(1);

        assertThat(check.getStatus()).isEqualTo(429);
        assertThat(check.getHeaderString("Retry-After")).isNull();
        assertThat(body(check).get("reason").asText()).isEqualTo("RATE_LIMIT_RPM");
    }

    private String limitsPath() {
        return "/v1/orgs/" + orgId + "/limits";
    }

    private Response putLimits(long rpm, long tpm, long rpd, long tpd) {
        Response response = app.target(limitsPath()).request().put(Entity.json(Map.of(
                "requestsPerMinute", rpm, "tokensPerMinute", tpm,
                "requestsPerDay", rpd, "tokensPerDay", tpd)));
        response.bufferEntity();
        return response;
    }

    private Response check(long estimatedTokens) {
        Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", estimatedTokens)));
        response.bufferEntity();
        return response;
    }

    private static JsonNode body(Response response) {
        return json(response.readEntity(String.class));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
