package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.RestartableRedis;
import ai.ratelimiter.testing.TestApp;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stops the service's Redis in the middle of a stream of checks and starts it again, under
 * each outage policy: no answer is a 500, every answer made without Redis says so, and the
 * service goes back to Redis by itself.
 */
class RedisOutageTest {

    private static final int CHECKS_BEFORE = 40;
    private static final int CHECKS_DURING = 60;

    @ParameterizedTest
    @ValueSource(strings = {"deny", "allow", "local"})
    void outageIsAnsweredByThePolicyAndRecoveredWithoutRestart(String policy) throws Exception {
        try (RestartableRedis redis = new RestartableRedis();
                TestApp app = TestApp.start(
                        ConfigOverride.config("redis.url", redis.url()),
                        ConfigOverride.config("redis.timeout", "200ms"),
                        ConfigOverride.config("redisOutage.policy", policy),
                        ConfigOverride.config("redisOutage.localShare", "0.5"),
                        ConfigOverride.config("redisOutage.breakerMaxFailures", "2"),
                        ConfigOverride.config("redisOutage.breakerResetTimeout", "200ms"))) {
            String orgId = TestApp.newOrgId();
            app.target("/v1/orgs/" + orgId + "/limits").request().put(Entity.json(Map.of(
                    "requestsPerMinute", 100, "tokensPerMinute", 1_000_000,
                    "requestsPerDay", 100_000, "tokensPerDay", 10_000_000)));

            Map<String, Integer> before = stream(app, orgId, CHECKS_BEFORE);
            redis.stop();
            Map<String, Integer> during = stream(app, orgId, CHECKS_DURING);
            redis.start();
            boolean recovered = awaitRedisAnswers(app, orgId);

            assertThat(before).containsExactly(Map.entry("200 redis", CHECKS_BEFORE));
            switch (policy) {
                case "deny" -> assertThat(during).containsExactly(Map.entry("503 unavailable", CHECKS_DURING));
                case "allow" -> assertThat(during).containsExactly(Map.entry("200 policy", CHECKS_DURING));
                // This replica's share is half of 100 per minute, counted from the outage on.
                default -> assertThat(during).containsExactly(
                        Map.entry("200 policy", 50), Map.entry("503 policy", 10));
            }
            assertThat(recovered).as("checks answered by redis again after restart").isTrue();
        }
    }

    /** Sends checks one after another and counts answers by status and by who decided. */
    private static Map<String, Integer> stream(TestApp app, String orgId, int count) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            seen.merge(check(app, orgId), 1, Integer::sum);
        }
        return seen;
    }

    private static String check(TestApp app, String orgId) {
        Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 10)));
        String body = response.readEntity(String.class);
        String decidedBy;
        if (body.contains("\"decidedWithoutRedis\":true")) {
            assertThat(response.getHeaderString(CheckAnswers.WITHOUT_REDIS_HEADER)).isEqualTo("true");
            decidedBy = "policy";
        } else if (body.contains("store_unavailable")) {
            assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
            decidedBy = "unavailable";
        } else {
            decidedBy = "redis";
        }
        return response.getStatus() + " " + decidedBy;
    }

    private static boolean awaitRedisAnswers(TestApp app, String orgId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check(app, orgId).equals("200 redis")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
