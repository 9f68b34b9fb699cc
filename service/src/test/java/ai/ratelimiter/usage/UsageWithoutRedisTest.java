package ai.ratelimiter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Usage recording while the windows' Redis cannot be reached: storing must not depend on it. */
class UsageWithoutRedisTest {

    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        String deadRedis = "redis://127.0.0.1:" + closedPort();
        app = TestApp.start(ConfigOverride.config("redis.url", deadRedis));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void recordIsStoredAnd201AnsweredWhenReconciliationFails() {
        String orgId = TestApp.newOrgId();
        MetricRegistry metrics = app.support().getEnvironment().metrics();
        long failuresBefore = metrics.meter("usage.reconciliation-failures").getCount();

        Response response = app.target("/v1/orgs/" + orgId + "/usage").request()
                .post(Entity.json(Map.of("requestId", "r", "inputTokens", 5, "outputTokens", 6)));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(UsageRecordingTest.rowCount(orgId)).isEqualTo(1);
        assertThat(metrics.meter("usage.reconciliation-failures").getCount() - failuresBefore)
                .isEqualTo(1);
    }

    /** A loopback port nothing listens on: bound once to learn a free one, then closed. */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
