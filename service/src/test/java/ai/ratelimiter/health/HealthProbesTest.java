package ai.ratelimiter.health;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.PrometheusSamples;
import ai.ratelimiter.testing.RestartableRedis;
import ai.ratelimiter.testing.TestApp;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/**
 * The admin port's probes on a running service: Redis down leaves it live and ready (the
 * health report and the metrics show the outage), a stuck component of its own makes it
 * unready.
 */
class HealthProbesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void redisDownKeepsTheReplicaLiveAndReadyAndShowsInTheReportAndMetrics() throws Exception {
        try (RestartableRedis redis = new RestartableRedis();
                TestApp app = TestApp.start(
                        ConfigOverride.config("redis.url", redis.url()),
                        ConfigOverride.config("redis.timeout", "200ms"))) {
            boolean readyBefore = await(() -> status(app, "/health/ready") == 200);

            redis.stop();
            boolean redisReportedDown = await(() -> "0".equals(PrometheusSamples.scrape(app)
                    .get("ai_ratelimiter_health_check_up{check=\"redis\"}")));
            Response ready = app.adminTarget("/health/ready").request().get();
            JsonNode readyBody = JSON.readTree(ready.readEntity(String.class));
            int live = status(app, "/health/live");
            Response report = app.adminTarget("/healthcheck").request().get();
            JsonNode reportBody = JSON.readTree(report.readEntity(String.class));

            assertThat(readyBefore).isTrue();
            assertThat(redisReportedDown).isTrue();
            assertThat(ready.getStatus()).isEqualTo(200);
            assertThat(readyBody.get("up").asBoolean()).isTrue();
            assertThat(readyBody.get("phase").asText()).isEqualTo("SERVING");
            assertThat(live).isEqualTo(200);
            assertThat(report.getStatus()).isEqualTo(500);
            assertThat(reportBody.get("redis").get("healthy").asBoolean()).isFalse();
            assertThat(reportBody.get("postgres").get("healthy").asBoolean()).isTrue();
        }
    }

    @Test
    void aStuckUsageWriterMakesOnlyThisReplicaUnready() throws Exception {
        try (TestApp app = TestApp.start()) {
            boolean readyBefore = await(() -> status(app, "/health/ready") == 200);

            HealthCheckRegistry checks = app.support().getEnvironment().healthChecks();
            checks.unregister("usage-writer");
            checks.register("usage-writer", new HealthCheck() {
                @Override
                protected Result check() {
                    return Result.unhealthy("oldest record waited 30000ms");
                }
            });
            boolean unready = await(() -> status(app, "/health/ready") == 503);
            int live = status(app, "/health/live");
            String report = app.adminTarget("/healthcheck").request().get().readEntity(String.class);

            assertThat(readyBefore).isTrue();
            assertThat(unready).isTrue();
            assertThat(live).isEqualTo(200);
            assertThat(report).contains("\"replica\":{\"healthy\":false,"
                    + "\"message\":\"usage-writer: oldest record waited 30000ms\"");
        }
    }

    private static int status(TestApp app, String path) {
        try (Response response = app.adminTarget(path).request().get()) {
            return response.getStatus();
        }
    }

    /** Polls up to 15 s: the health scheduler runs each check every 1 to 5 s. */
    private static boolean await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }
}
