package ai.ratelimiter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.PrometheusSamples;
import ai.ratelimiter.testing.TestApp;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /prometheus} on the admin port of a running service, after real checks. */
class PrometheusEndpointTest {

    @Test
    void checksAreCountedByOutcomeAndReasonWithoutTheOrganization() throws Exception {
        try (TestApp app = TestApp.start()) {
            String orgId = TestApp.newOrgId();
            app.target("/v1/orgs/" + orgId + "/limits").request().put(Entity.json(Map.of(
                    "requestsPerMinute", 2, "tokensPerMinute", 1_000_000,
                    "requestsPerDay", 100_000, "tokensPerDay", 10_000_000))).close();
            for (int i = 0; i < 3; i++) {
                app.target("/v1/orgs/" + orgId + "/checks").request()
                        .post(Entity.json(Map.of("estimatedTokens", 10))).close();
            }

            Response response = app.adminTarget("/prometheus").request().get();
            String text = response.readEntity(String.class);
            Map<String, String> samples = PrometheusSamples.parse(text);

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeaderString("Content-Type"))
                    .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(samples).containsEntry("ai_ratelimiter_checks_total{outcome=\"allowed\"}", "2")
                    .containsEntry(
                            "ai_ratelimiter_checks_total{outcome=\"denied\",reason=\"RATE_LIMIT_RPM\"}", "1")
                    .containsEntry("ai_ratelimiter_checks_total{outcome=\"unavailable\"}", "0")
                    .containsEntry("ai_ratelimiter_check_duration_seconds_count", "3")
                    .containsEntry("ai_ratelimiter_check_duration_seconds_bucket{le=\"+Inf\"}", "3")
                    .containsEntry("ai_ratelimiter_active_limiters", "1")
                    .containsEntry("ai_ratelimiter_redis_errors_total{kind=\"CONNECTION\"}", "0")
                    .containsEntry("ai_ratelimiter_redis_circuit_breaker_state", "0")
                    .containsEntry("ai_ratelimiter_postgres_errors_total{operation=\"limits_load\"}", "0")
                    .containsEntry("ai_ratelimiter_http_responses_total{code=\"4xx\"}", "1")
                    .containsKeys("ai_ratelimiter_redis_script_duration_seconds_count",
                            "ai_ratelimiter_redis_script_batch_size_count",
                            "ai_ratelimiter_postgres_pool_connections{state=\"active\"}",
                            "ai_ratelimiter_health_check_up{check=\"redis\"}");
            assertThat(text).doesNotContain(orgId);
        }
    }
}
