package ai.ratelimiter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UsageRecordingTest {

    private static final Instant START = Instant.parse("2031-03-12T10:20:30.123Z");
    private static final GenericType<Map<String, Object>> JSON = new GenericType<>() { };

    private static ManualClock clock;
    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        clock = new ManualClock(START);
        app = TestApp.start(clock, clock.wallClock());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void newRecordAnswers201WithTheStoredRecord() {
        String orgId = TestApp.newOrgId();
        Map<String, Object> body = fullRecord("req-1");

        Response response = postUsage(orgId, body);

        assertThat(response.getStatus()).isEqualTo(201);
        Map<String, Object> stored = response.readEntity(JSON);
        assertThat(stored).containsEntry("orgId", orgId)
                .containsEntry("requestId", "req-1")
                .containsEntry("userId", "user-7")
                .containsEntry("inputTokens", 300)
                .containsEntry("outputTokens", 100)
                .containsEntry("cacheReadTokens", 50)
                .containsEntry("cacheWriteTokens", 5)
                .containsEntry("model", "gpt-4o")
                .containsEntry("provider", "openai")
                .containsEntry("featureType", "chat")
                .containsEntry("entityType", "ticket")
                .containsEntry("entityId", "T-42")
                .containsEntry("durationMs", 1234)
                .containsEntry("occurredAt", "2031-03-12T09:15:00.123456Z");
        assertThat(rowCount(orgId)).isEqualTo(1);
    }

    @Test
    void recordWithoutInstantIsDatedNowAndCacheTokensDefaultToZero() {
        String orgId = TestApp.newOrgId();

        Response response = postUsage(orgId, Map.of("requestId", "r", "inputTokens", 1,
                "outputTokens", 2));

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(response.readEntity(JSON))
                .containsEntry("occurredAt", "2031-03-12T10:20:30.123Z")
                .containsEntry("cacheReadTokens", 0)
                .containsEntry("cacheWriteTokens", 0)
                .doesNotContainKey("model");
    }

    @Test
    void repeatedRecordAnswers200AndIsStoredAndCountedOnce() {
        String orgId = TestApp.newOrgId();
        Map<String, Object> body = fullRecord("req-repeat");

        Response first = postUsage(orgId, body);
        Response second = postUsage(orgId, body);

        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(second.readEntity(JSON)).containsEntry("requestId", "req-repeat")
                .containsEntry("occurredAt", "2031-03-12T09:15:00.123456Z");
        assertThat(rowCount(orgId)).isEqualTo(1);
        assertThat(used(orgId)).containsEntry("dayRequests", 1).containsEntry("dayTokens", 400);
        assertThat(statsTotals(orgId)).containsEntry("requests", 1)
                .containsEntry("inputTokens", 300);
    }

    @Test
    void repeatWithoutInstantMatchesTheInstantChosenTheFirstTime() {
        String orgId = TestApp.newOrgId();
        Map<String, Object> body = Map.of("requestId", "r", "inputTokens", 10, "outputTokens", 20);
        Response first = postUsage(orgId, body);
        clock.advance(5_000);

        Response second = postUsage(orgId, body);

        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(second.readEntity(JSON))
                .containsEntry("occurredAt", first.readEntity(JSON).get("occurredAt"));
    }

    @Test
    void requestIdReusedWithDifferentContentAnswers409AndChangesNothing() {
        String orgId = TestApp.newOrgId();
        Map<String, Object> body = fullRecord("req-conflict");
        Map<String, Object> changed = new HashMap<>(body);
        changed.put("outputTokens", 101);
        postUsage(orgId, body);

        Response response = postUsage(orgId, changed);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.readEntity(JSON)).containsEntry("error", "request_id_conflict")
                .containsEntry("field", "requestId");
        long storedOutput = TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT output_tokens FROM ai_usage WHERE org_id = :orgId").bind("orgId", orgId)
                .mapTo(Long.class).one());
        assertThat(storedOutput).isEqualTo(100L);
        assertThat(used(orgId)).containsEntry("dayTokens", 400);
    }

    @Test
    void usageOfACheckRaisesRemainingTokensByEstimateMinusActual() {
        String orgId = TestApp.newOrgId();
        Response check = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 1000, "requestId", "call-1")));
        long remainingAfterCheck = remaining(orgId).get("minuteTokens").longValue();

        Response usage = postUsage(orgId, Map.of("requestId", "call-1", "inputTokens", 300,
                "outputTokens", 100));

        assertThat(check.getStatus()).isEqualTo(200);
        assertThat(remainingAfterCheck).isEqualTo(99_000);
        assertThat(usage.getStatus()).isEqualTo(201);
        assertThat(remaining(orgId).get("minuteTokens").longValue()).isEqualTo(99_600);
        assertThat(used(orgId)).containsEntry("minuteRequests", 1).containsEntry("dayRequests", 1)
                .containsEntry("dayTokens", 400);
    }

    @Test
    void usageWithoutCheckIsCountedAsOfNow() {
        String orgId = TestApp.newOrgId();

        Response usage = postUsage(orgId, Map.of("requestId", "no-check", "inputTokens", 700,
                "outputTokens", 50, "cacheReadTokens", 9999));

        assertThat(usage.getStatus()).isEqualTo(201);
        assertThat(used(orgId)).containsEntry("minuteRequests", 1)
                .containsEntry("minuteTokens", 750)
                .containsEntry("dayRequests", 1).containsEntry("dayTokens", 750);
    }

    @Test
    void badFieldsAnswer422Or400NamingTheFieldAndStoreNothing() {
        String orgId = TestApp.newOrgId();
        Map<String, Map<String, Object>> cases = Map.of(
                "requestId", Map.of("inputTokens", 1, "outputTokens", 1),
                "outputTokens", Map.of("requestId", "a", "inputTokens", 1),
                "inputTokens", Map.of("requestId", "a", "inputTokens", -1, "outputTokens", 1),
                "cacheReadTokens", Map.of("requestId", "a", "inputTokens", 1, "outputTokens", 1,
                        "cacheReadTokens", 9_007_199_254_740_992L),
                "durationMs", Map.of("requestId", "a", "inputTokens", 1, "outputTokens", 1,
                        "durationMs", -5),
                "model", Map.of("requestId", "a", "inputTokens", 1, "outputTokens", 1, "model", ""),
                "occurredAt", Map.of("requestId", "a", "inputTokens", 1, "outputTokens", 1,
                        "occurredAt", "2031-03-14T00:00:00Z"));
        Map<String, Integer> statuses = new HashMap<>();
        Map<String, Object> fields = new HashMap<>();

        cases.forEach((field, body) -> {
            Response response = postUsage(orgId, body);
            statuses.put(field, response.getStatus());
            fields.put(field, response.readEntity(JSON).get("field"));
        });

        cases.keySet().forEach(field -> {
            assertThat(statuses.get(field)).as(field).isEqualTo(422);
            assertThat(fields.get(field)).as(field).isEqualTo(field);
        });
        assertThat(rowCount(orgId)).isZero();
    }

    @Test
    void unreadableValuesAnswer400NamingTheField() {
        String orgId = TestApp.newOrgId();

        Response badInstant = postUsage(orgId, Map.of("requestId", "a", "inputTokens", 1,
                "outputTokens", 1, "occurredAt", "yesterday"));
        Response badRequestId = postUsage(orgId, Map.of("requestId", "has space", "inputTokens", 1,
                "outputTokens", 1));
        Response unknownField = postUsage(orgId, Map.of("requestId", "a", "inputTokens", 1,
                "outputTokens", 1, "orgId", "other"));
        Response wrongType = postUsage(orgId, Map.of("requestId", "a", "inputTokens", "1",
                "outputTokens", 1));

        assertThat(badInstant.getStatus()).isEqualTo(400);
        assertThat(badInstant.readEntity(JSON)).containsEntry("field", "occurredAt");
        assertThat(badRequestId.getStatus()).isEqualTo(422);
        assertThat(badRequestId.readEntity(JSON)).containsEntry("field", "requestId");
        assertThat(unknownField.getStatus()).isEqualTo(400);
        assertThat(unknownField.readEntity(JSON)).containsEntry("field", "orgId");
        assertThat(wrongType.getStatus()).isEqualTo(400);
        assertThat(wrongType.readEntity(JSON)).containsEntry("field", "inputTokens");
        assertThat(rowCount(orgId)).isZero();
    }

    private static Map<String, Object> fullRecord(String requestId) {
        Map<String, Object> body = new HashMap<>();
        body.put("requestId", requestId);
        body.put("userId", "user-7");
        body.put("inputTokens", 300);
        body.put("outputTokens", 100);
        body.put("cacheReadTokens", 50);
        body.put("cacheWriteTokens", 5);
        body.put("model", "gpt-4o");
        body.put("provider", "openai");
        body.put("featureType", "chat");
        body.put("entityType", "ticket");
        body.put("entityId", "T-42");
        body.put("durationMs", 1234);
        body.put("occurredAt", "2031-03-12T10:15:00.123456+01:00");
        return body;
    }

    private static Response postUsage(String orgId, Map<String, ?> body) {
        return app.target("/v1/orgs/" + orgId + "/usage").request().post(Entity.json(body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> used(String orgId) {
        return (Map<String, Integer>) status(orgId).get("used");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Number> remaining(String orgId) {
        return (Map<String, Number>) status(orgId).get("remaining");
    }

    private static Map<String, Object> status(String orgId) {
        return app.target("/v1/orgs/" + orgId + "/status").request().get(JSON);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> statsTotals(String orgId) {
        Map<String, Object> stats = app.target("/v1/orgs/" + orgId + "/usage/stats")
                .queryParam("from", "2031-03-12T00:00:00Z").queryParam("to", "2031-03-13T00:00:00Z")
                .request().get(JSON);
        return (Map<String, Integer>) stats.get("totals");
    }

    static long rowCount(String orgId) {
        return TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM ai_usage WHERE org_id = :orgId").bind("orgId", orgId)
                .mapTo(Long.class).one());
    }
}
