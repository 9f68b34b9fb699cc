package ai.ratelimiter.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas sharing one Redis and Postgres: a limits change acknowledged by one is used by
 * the other within a second (measured from the acknowledgement).
 */
class LiveLimitsTest {

    private static TestApp replicaA;
    private static TestApp replicaB;

    @BeforeAll
    static void start() throws Exception {
        replicaA = TestApp.start();
        replicaB = TestApp.start();
    }

    @AfterAll
    static void stop() {
        replicaA.close();
        replicaB.close();
    }

    @Test
    void limitsPutOnOneReplicaAreUsedByTheOtherWithinOneSecond() throws Exception {
        String orgId = TestApp.newOrgId();
        assertThat(checkLimitHeader(replicaB, orgId)).isEqualTo("60");

        Response put = replicaA.target("/v1/orgs/" + orgId + "/limits").request().put(Entity.json(Map.of(
                "requestsPerMinute", 7, "tokensPerMinute", 7000, "requestsPerDay", 700, "tokensPerDay", 70_000)));
        long started = System.nanoTime();
        String seen = checkLimitHeader(replicaB, orgId);
        while (!seen.equals("7") && System.nanoTime() - started < 2_000_000_000L) {
            Thread.sleep(20);
            seen = checkLimitHeader(replicaB, orgId);
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(put.getStatus()).isEqualTo(200);
        assertThat(seen).isEqualTo("7");
        assertThat(elapsedMs).isLessThan(1000);
    }

    @Test
    void limitsDeletedOnOneReplicaFallBackToDefaultsOnTheOther() throws Exception {
        String orgId = TestApp.newOrgId();
        replicaA.target("/v1/orgs/" + orgId + "/limits").request().put(Entity.json(Map.of(
                "requestsPerMinute", 9, "tokensPerMinute", 9000, "requestsPerDay", 900, "tokensPerDay", 90_000)));
        assertThat(checkLimitHeader(replicaB, orgId)).isEqualTo("9");

        replicaA.target("/v1/orgs/" + orgId + "/limits").request().delete().close();
        long started = System.nanoTime();
        String seen = checkLimitHeader(replicaB, orgId);
        while (!seen.equals("60") && System.nanoTime() - started < 2_000_000_000L) {
            Thread.sleep(20);
            seen = checkLimitHeader(replicaB, orgId);
        }

        assertThat(seen).isEqualTo("60");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000);
    }

    private static String checkLimitHeader(TestApp app, String orgId) {
        Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 1)));
        response.close();
        return response.getHeaderString("x-ratelimit-limit-requests");
    }
}
