package ai.ratelimiter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage writing when the database refuses or holds up records. A test-only trigger on
 * {@code ai_usage} acts on marker entity types: it fails the transaction with a resource error,
 * refuses the one row, or sleeps.
 */
class UsageFailureTest {

    private static final GenericType<Map<String, Object>> JSON = new GenericType<>() { };
    private static final String FAIL_BATCH = "test-fail-batch";
    private static final String REFUSE_RECORD = "test-refuse-record";
    private static final String SLOW = "test-slow";
    private static final int BATCH = 10;

    /** Batches of exactly ten: the writer lingers long enough for ten concurrent callers. */
    private static TestApp batchApp;
    /** One record per transaction and room for two waiting: easy to fill. */
    private static TestApp tinyQueueApp;

    @BeforeAll
    static void start() throws Exception {
        installTrigger(TestServices.get().jdbi());
        batchApp = TestApp.start(
                ConfigOverride.config("usage.maxBatchSize", Integer.toString(BATCH)),
                ConfigOverride.config("usage.linger", "1s"));
        tinyQueueApp = TestApp.start(
                ConfigOverride.config("usage.maxBatchSize", "1"),
                ConfigOverride.config("usage.queueCapacity", "2"),
                ConfigOverride.config("usage.linger", "0ms"),
                ConfigOverride.config("usage.stuckAfter", "200ms"));
    }

    @AfterAll
    static void stop() {
        // Reverse start order: each app's overrides are system properties that closing restores
        // to what they were at its start, so closing the first app last leaves none behind.
        tinyQueueApp.close();
        batchApp.close();
        TestServices.get().jdbi().useHandle(handle -> handle.execute(
                "DROP TRIGGER IF EXISTS test_marked_usage ON ai_usage"));
    }

    @Test
    void batchTheDatabaseFailsStoresNothingAndAnswersEveryCallerWithAnError() throws Exception {
        String orgId = TestApp.newOrgId();
        MetricRegistry metrics = batchApp.support().getEnvironment().metrics();
        long failedBefore = metrics.meter("usage.failed-transactions").getCount();
        long committedBefore = metrics.meter("usage.transactions").getCount();

        List<Response> answers = postBatchWithOneMarker(orgId, FAIL_BATCH);

        for (Response answer : answers) {
            assertThat(answer.getStatus()).isEqualTo(503);
            assertThat(answer.getHeaderString("Retry-After")).isEqualTo("1");
            assertThat(answer.readEntity(JSON)).containsEntry("error", "usage_unavailable");
        }
        assertThat(UsageRecordingTest.rowCount(orgId)).isZero();
        assertThat(hourlyRowCount(orgId)).isZero();
        assertThat(metrics.meter("usage.failed-transactions").getCount() - failedBefore)
                .isEqualTo(1);
        assertThat(metrics.meter("usage.transactions").getCount() - committedBefore).isZero();
    }

    @Test
    void recordTheDatabaseRefusesFailsAloneAndTheOthersOfItsBatchCommit() throws Exception {
        String orgId = TestApp.newOrgId();
        MetricRegistry metrics = batchApp.support().getEnvironment().metrics();
        long failedBefore = metrics.meter("usage.failed-transactions").getCount();

        List<Response> answers = postBatchWithOneMarker(orgId, REFUSE_RECORD);

        assertThat(answers.get(0).getStatus()).isEqualTo(503);
        for (Response answer : answers.subList(1, BATCH)) {
            assertThat(answer.getStatus()).isEqualTo(201);
        }
        assertThat(UsageRecordingTest.rowCount(orgId)).isEqualTo(BATCH - 1);
        assertThat(hourlyInputTokens(orgId)).isEqualTo(sumOfInputs(1, BATCH));
        assertThat(metrics.meter("usage.failed-transactions").getCount() - failedBefore)
                .isEqualTo(2);
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAtOnce() throws Exception {
        String orgId = TestApp.newOrgId();
        List<Future<Response>> waiting = holdUpWriterAndFillQueue(orgId);

        long started = System.nanoTime();
        Response refused = post(tinyQueueApp, orgId, record("refused", 1, null));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(refused.readEntity(JSON)).containsEntry("message", "usage queue is full");
        assertThat(elapsedMs).isLessThan(1000);
        for (Future<Response> answer : waiting) {
            assertThat(answer.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
        }
        assertThat(UsageRecordingTest.rowCount(orgId)).isEqualTo(3);
    }

    @Test
    void recordWaitingLongerThanTheBoundMakesTheWriterUnhealthy() throws Exception {
        String orgId = TestApp.newOrgId();
        List<Future<Response>> waiting = holdUpWriterAndFillQueue(orgId);
        Thread.sleep(300);

        HealthCheck.Result held = writerHealth();
        for (Future<Response> answer : waiting) {
            answer.get(10, TimeUnit.SECONDS);
        }
        HealthCheck.Result after = writerHealth();

        assertThat(held.isHealthy()).isFalse();
        assertThat(held.getMessage()).startsWith("oldest usage record has waited");
        assertThat(after.isHealthy()).isTrue();
    }

    /**
     * Sends ten records at once to the ten-record app, the first carrying {@code marker} as its
     * entity type, and answers their responses in that order.
     */
    private static List<Response> postBatchWithOneMarker(String orgId, String marker)
            throws Exception {
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            Map<String, Object> body = record("r-" + i, i + 1, i == 0 ? marker : null);
            calls.add(() -> post(batchApp, orgId, body));
        }
        return Concurrently.run(BATCH, calls);
    }

    /**
     * Sends a record the database sleeps on, waits until the writer is inside that sleep, then
     * queues two more: the tiny queue is full. Answers the three pending responses.
     */
    private static List<Future<Response>> holdUpWriterAndFillQueue(String orgId) throws Exception {
        List<Future<Response>> pending = new ArrayList<>();
        pending.add(postAsync(orgId, record("slow", 1, SLOW)));
        awaitTrue(() -> sleepingBackends() > 0);
        pending.add(postAsync(orgId, record("queued-1", 1, null)));
        pending.add(postAsync(orgId, record("queued-2", 1, null)));
        MetricRegistry metrics = tinyQueueApp.support().getEnvironment().metrics();
        awaitTrue(() -> metrics.getGauges().get("usage.queue-depth").getValue().equals(2));
        return pending;
    }

    private static HealthCheck.Result writerHealth() {
        return tinyQueueApp.support().getEnvironment().healthChecks()
                .runHealthCheck("usage-writer");
    }

    private static Map<String, Object> record(String requestId, long inputTokens,
            String entityType) {
        Map<String, Object> body = new HashMap<>(Map.of("requestId", requestId,
                "inputTokens", inputTokens, "outputTokens", 0, "featureType", "chat"));
        if (entityType != null) {
            body.put("entityType", entityType);
        }
        return body;
    }

    private static Response post(TestApp app, String orgId, Map<String, Object> body) {
        return app.target("/v1/orgs/" + orgId + "/usage").request().post(Entity.json(body));
    }

    private static Future<Response> postAsync(String orgId, Map<String, Object> body) {
        return tinyQueueApp.target("/v1/orgs/" + orgId + "/usage").request().async()
                .post(Entity.json(body));
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for a condition").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static long sleepingBackends() {
        return TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
                .mapTo(Long.class).one());
    }

    private static long hourlyRowCount(String orgId) {
        return TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM ai_usage_hourly WHERE org_id = :orgId")
                .bind("orgId", orgId).mapTo(Long.class).one());
    }

    private static long hourlyInputTokens(String orgId) {
        return TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT SUM(input_tokens) FROM ai_usage_hourly"
                + " WHERE org_id = :orgId AND dimension = 'feature'")
                .bind("orgId", orgId).mapTo(Long.class).one());
    }

    /** The input tokens of records {@code from} to {@code to - 1}: record i has i + 1. */
    private static long sumOfInputs(int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += i + 1;
        }
        return sum;
    }

    private static void installTrigger(Jdbi jdbi) {
        jdbi.useHandle(handle -> {
            handle.execute("CREATE OR REPLACE FUNCTION test_marked_usage() RETURNS trigger AS $$\n"
                    + "BEGIN\n"
                    + "  IF NEW.entity_type = '" + FAIL_BATCH + "' THEN\n"
                    + "    RAISE EXCEPTION 'test: transaction fails' USING ERRCODE = '53000';\n"
                    + "  ELSIF NEW.entity_type = '" + REFUSE_RECORD + "' THEN\n"
                    + "    RAISE EXCEPTION 'test: record refused' USING ERRCODE = 'P0001';\n"
                    + "  ELSIF NEW.entity_type = '" + SLOW + "' THEN\n"
                    + "    PERFORM pg_sleep(1.5);\n"
                    + "  END IF;\n"
                    + "  RETURN NEW;\n"
                    + "END $$ LANGUAGE plpgsql");
            handle.execute("DROP TRIGGER IF EXISTS test_marked_usage ON ai_usage");
            handle.execute("CREATE TRIGGER test_marked_usage BEFORE INSERT ON ai_usage"
                    + " FOR EACH ROW EXECUTE FUNCTION test_marked_usage()");
        });
    }
}
