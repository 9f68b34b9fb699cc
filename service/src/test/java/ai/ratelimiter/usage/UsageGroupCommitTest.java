package ai.ratelimiter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import com.codahale.metrics.MetricRegistry;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UsageGroupCommitTest {

    private static final GenericType<Map<String, Object>> JSON = new GenericType<>() { };

    private static TestApp app;
    private static TestApp replica;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
        replica = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
        replica.close();
    }

    @Test
    void fiveHundredConcurrentRecordsAreAllStoredInFewerTransactions() throws Exception {
        String orgId = TestApp.newOrgId();
        MetricRegistry metrics = app.support().getEnvironment().metrics();
        long transactionsBefore = metrics.meter("usage.transactions").getCount();
        long storedBefore = metrics.meter("usage.records-stored").getCount();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Map<String, Object> body = Map.of("requestId", "r-" + i, "inputTokens", i,
                    "outputTokens", 1, "featureType", "f" + (i % 3));
            calls.add(() -> post(app, orgId, body).getStatus());
        }

        List<Integer> statuses = Concurrently.run(50, calls);

        assertThat(statuses).hasSize(500).containsOnly(201);
        assertThat(UsageRecordingTest.rowCount(orgId)).isEqualTo(500);
        assertThat(metrics.meter("usage.records-stored").getCount() - storedBefore).isEqualTo(500);
        assertThat(metrics.meter("usage.transactions").getCount() - transactionsBefore)
                .isLessThan(500);
        assertThat(hourlyRequests(orgId)).isEqualTo(500 * 3);
    }

    @Test
    void concurrentRepeatsOnTwoReplicasStoreOneRowAndCountItOnce() throws Exception {
        String orgId = TestApp.newOrgId();
        Map<String, Object> body = Map.of("requestId", "same", "inputTokens", 40, "outputTokens", 2,
                "occurredAt", "2025-01-01T00:00:00Z");
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TestApp target = i % 2 == 0 ? app : replica;
            calls.add(() -> post(target, orgId, body).getStatus());
        }

        List<Integer> statuses = Concurrently.run(40, calls);

        assertThat(statuses).as("statuses").containsOnly(200, 201);
        assertThat(statuses.stream().filter(status -> status == 201).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(status -> status == 200).count()).isEqualTo(39);
        assertThat(UsageRecordingTest.rowCount(orgId)).isEqualTo(1);
        assertThat(hourlyRequests(orgId)).isEqualTo(3);
        assertThat(dayTokens(orgId)).isEqualTo(42);
    }

    private static Response post(TestApp target, String orgId, Map<String, Object> body) {
        return target.target("/v1/orgs/" + orgId + "/usage").request().post(Entity.json(body));
    }

    /** Requests summed over every dimension's hourly rows: three per stored record. */
    private static long hourlyRequests(String orgId) {
        return TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT COALESCE(SUM(requests), 0) FROM ai_usage_hourly WHERE org_id = :orgId")
                .bind("orgId", orgId).mapTo(Long.class).one());
    }

    @SuppressWarnings("unchecked")
    private static long dayTokens(String orgId) {
        Map<String, Object> status = app.target("/v1/orgs/" + orgId + "/status").request()
                .get(JSON);
        return ((Number) ((Map<String, Object>) status.get("used")).get("dayTokens")).longValue();
    }
}
