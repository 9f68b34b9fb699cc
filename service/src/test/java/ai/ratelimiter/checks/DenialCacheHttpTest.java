package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A request-count denial is answered from memory until it can lift, and forgotten on a limits change. */
class DenialCacheHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void repeatedDenialComesFromMemoryAndALimitsChangeLiftsIt() throws Exception {
        String orgId = TestApp.newOrgId();
        putLimits(orgId, 2);
        assertThat(check(orgId).getStatus()).isEqualTo(200);
        assertThat(check(orgId).getStatus()).isEqualTo(200);
        long cachedBefore = cachedDenials();

        JsonNode first = body(check(orgId));
        JsonNode second = body(check(orgId));
        long cachedAfter = cachedDenials();
        putLimits(orgId, 10);
        Response afterChange = check(orgId);

        assertThat(first.get("reason").asText()).isEqualTo("RATE_LIMIT_RPM");
        assertThat(second.get("reason").asText()).isEqualTo("RATE_LIMIT_RPM");
        assertThat(second.get("retryAfterMs").asLong()).isBetween(1L, first.get("retryAfterMs").asLong());
        assertThat(cachedAfter - cachedBefore).isEqualTo(1);
        assertThat(afterChange.getStatus()).isEqualTo(200);
    }

    private static void putLimits(String orgId, int rpm) {
        app.target("/v1/orgs/" + orgId + "/limits").request().put(Entity.json(Map.of(
                "requestsPerMinute", rpm, "tokensPerMinute", 100_000,
                "requestsPerDay", 1000, "tokensPerDay", 1_000_000))).close();
    }

    private static Response check(String orgId) {
        return app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 10)));
    }

    private static JsonNode body(Response response) throws Exception {
        assertThat(response.getStatus()).isEqualTo(429);
        return JSON.readTree(response.readEntity(String.class));
    }

    private static long cachedDenials() throws Exception {
        String metrics = app.adminTarget("/metrics").request().get(String.class);
        return JSON.readTree(metrics).path("meters").path("checks.denied-from-cache").path("count").asLong();
    }
}
