package ai.ratelimiter.stats;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statistics against sums computed here from the records sent, for every period and grouping,
 * with records exactly at the edges: period starts (inclusive), now (exclusive), hour
 * boundaries and midnight UTC.
 */
class UsageStatisticsTest {

    private static final GenericType<Map<String, Object>> JSON = new GenericType<>() { };
    private static final Instant NOW = Instant.parse("2031-03-12T10:20:30.123Z");
    private static final Instant MIDNIGHT = Instant.parse("2031-03-12T00:00:00Z");
    private static final Instant WEEK_START = NOW.minus(Duration.ofDays(7));
    private static final Instant MONTH_START = NOW.minus(Duration.ofDays(30));
    private static final Duration MICRO = Duration.ofNanos(1000);
    private static final List<String> GROUPINGS = List.of("feature", "model", "user", "day");

    private static final String[] FEATURES = {"chat", "search", null, "unknown"};
    private static final String[] MODELS = {"m-large", "m-small", null};
    private static final String[] USERS = {"u1", "u2", "u3", null};

    private static TestApp app;
    private static String orgId;
    private static final List<Sent> SENT = new ArrayList<>();

    /** A record as sent; {@code null} attributes were left out. */
    private record Sent(Instant occurredAt, String feature, String model, String user, long input,
            long output, long cacheRead, long cacheWrite) {
    }

    @BeforeAll
    static void start() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        app = TestApp.start(clock, clock.wallClock());
        orgId = TestApp.newOrgId();
        sendAll(records());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void periodsMatchTheSumsOfTheRecordsSentForEveryGrouping() {
        Map<String, Instant> starts = Map.of("day", MIDNIGHT, "week", WEEK_START,
                "month", MONTH_START);
        for (Map.Entry<String, Instant> period : starts.entrySet()) {
            for (String groupBy : GROUPINGS) {
                Map<String, Object> answer = stats(Map.of("period", period.getKey(),
                        "groupBy", groupBy));

                assertThat(answer).as(period.getKey() + "/" + groupBy)
                        .isEqualTo(expected(period.getValue(), NOW, groupBy));
            }
        }
    }

    @Test
    void withoutParametersTheAnswerIsTodayByFeature() {
        Map<String, Object> answer = stats(Map.of());

        assertThat(answer).isEqualTo(expected(MIDNIGHT, NOW, "feature"));
    }

    @Test
    void explicitRangesIncludeFromExcludeToAndNeedNoHourBoundaries() {
        List<Instant[]> ranges = List.of(
                range(WEEK_START, Instant.parse("2031-03-12T09:00:00Z")),
                range(Instant.parse("2031-03-12T09:00:00Z"), Instant.parse("2031-03-12T10:00:00Z")),
                range(Instant.parse("2031-03-12T09:30:00Z"),
                        Instant.parse("2031-03-12T09:59:59.999999Z")),
                range(MIDNIGHT.minus(MICRO), MIDNIGHT.plus(MICRO)),
                range(Instant.parse("2031-03-12T08:59:59.999999Z"),
                        Instant.parse("2031-03-12T10:00:00.000001Z")),
                range(MONTH_START.minus(MICRO), Instant.parse("2031-03-13T00:00:00Z")),
                range(Instant.parse("2031-03-12T10:00:00Z"), NOW.plus(Duration.ofHours(2))));
        for (Instant[] range : ranges) {
            for (String groupBy : GROUPINGS) {
                Map<String, Object> answer = stats(Map.of("from", range[0].toString(),
                        "to", range[1].toString(), "groupBy", groupBy));

                assertThat(answer).as(range[0] + ".." + range[1] + "/" + groupBy)
                        .isEqualTo(expected(range[0], range[1], groupBy));
            }
        }
    }

    @Test
    void fromAndToWithOffsetsAreTheSameInstantsInUtc() {
        Map<String, Object> answer = stats(Map.of("from", "2031-03-12T01:00:00+01:00",
                "to", "2031-03-12T05:30:00-05:00", "groupBy", "user"));

        assertThat(answer)
                .isEqualTo(expected(MIDNIGHT, Instant.parse("2031-03-12T10:30:00Z"), "user"));
    }

    @Test
    void wholeHoursAreReadFromTheHourlyRowsAndPartialHoursFromTheRecords() {
        String other = TestApp.newOrgId();
        TestServices.get().jdbi().useHandle(handle -> handle.createUpdate("INSERT INTO ai_usage"
                + " (org_id, request_id, input_tokens, output_tokens, occurred_at)"
                + " VALUES (:orgId, 'raw-only', 7, 0, :at)").bind("orgId", other)
                .bind("at", OffsetDateTime.parse("2031-03-12T05:30:00Z")).execute());

        Map<String, Object> wholeHour = statsOf(other, Map.of("from", "2031-03-12T05:00:00Z",
                "to", "2031-03-12T06:00:00Z"));
        Map<String, Object> partialHour = statsOf(other, Map.of("from", "2031-03-12T05:00:00Z",
                "to", "2031-03-12T05:45:00Z"));

        assertThat(totals(wholeHour)).containsEntry("requests", 0);
        assertThat(totals(partialHour)).containsEntry("requests", 1)
                .containsEntry("inputTokens", 7);
    }

    @Test
    void badParametersAnswer400Or422NamingTheParameter() {
        Map<Map<String, String>, List<Object>> cases = new LinkedHashMap<>();
        cases.put(Map.of("period", "year"), List.of(422, "period"));
        cases.put(Map.of("groupBy", "org"), List.of(422, "groupBy"));
        cases.put(Map.of("period", "day", "from", "2031-03-01T00:00:00Z",
                "to", "2031-03-02T00:00:00Z"), List.of(422, "period"));
        cases.put(Map.of("from", "2031-03-01T00:00:00Z"), List.of(422, "to"));
        cases.put(Map.of("to", "2031-03-01T00:00:00Z"), List.of(422, "from"));
        cases.put(Map.of("from", "yesterday", "to", "2031-03-01T00:00:00Z"), List.of(400, "from"));
        cases.put(range("2031-03-01T00:00:00Z", "2031-03-01T00:00:00"), List.of(400, "to"));
        cases.put(range("2031-03-02T00:00:00Z", "2031-03-01T00:00:00Z"), List.of(422, "to"));
        cases.put(range("2031-03-01T00:00:00Z", "2031-03-01T00:00:00Z"), List.of(422, "to"));
        cases.put(range("2020-01-01T00:00:00Z", "2031-03-01T00:00:00Z"), List.of(422, "to"));
        cases.put(range("1969-12-31T00:00:00Z", "1970-01-02T00:00:00Z"), List.of(422, "from"));
        Map<Map<String, String>, List<Object>> answers = new LinkedHashMap<>();

        cases.keySet().forEach(params -> {
            Response response = request(orgId, params).get();
            Object field = response.readEntity(JSON).get("field");
            answers.put(params, List.of(response.getStatus(), field));
        });

        assertThat(answers).isEqualTo(cases);
    }

    @Test
    void malformedOrganizationIdAnswers400() {
        Response response = app.target("/v1/orgs/bad%20org/usage/stats").request().get();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.readEntity(JSON)).containsEntry("field", "orgId");
    }

    /** Records at every edge the periods and ranges above have, plus a seeded random spread. */
    private static List<Sent> records() {
        List<Instant> instants = new ArrayList<>(List.of(
                NOW, NOW.minusMillis(1), NOW.plus(Duration.ofMinutes(30)),
                Instant.parse("2031-03-12T10:00:00Z"), Instant.parse("2031-03-12T09:59:59.999999Z"),
                Instant.parse("2031-03-12T09:00:00Z"), Instant.parse("2031-03-12T08:59:59.999999Z"),
                Instant.parse("2031-03-12T09:30:00Z"),
                MIDNIGHT, MIDNIGHT.minus(MICRO), MIDNIGHT.plus(MICRO),
                WEEK_START, WEEK_START.minus(MICRO), WEEK_START.truncatedTo(ChronoUnit.HOURS),
                MONTH_START, MONTH_START.minus(MICRO), MONTH_START.minus(Duration.ofDays(1))));
        Random random = new Random(20310312);
        long spanMicros = Duration.ofDays(32).toNanos() / 1000;
        for (int i = 0; i < 200; i++) {
            long micros = (long) (random.nextDouble() * spanMicros);
            instants.add(NOW.plus(Duration.ofHours(1)).minus(Duration.ofNanos(micros * 1000)));
        }
        List<Sent> records = new ArrayList<>();
        for (int i = 0; i < instants.size(); i++) {
            records.add(new Sent(instants.get(i), FEATURES[i % FEATURES.length],
                    MODELS[i % MODELS.length], USERS[(i / 2) % USERS.length], 100 + i, 10 + i % 7,
                    i % 5, i % 3));
        }
        return records;
    }

    private static void sendAll(List<Sent> records) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                Map<String, Object> body = body("r-" + i, records.get(i));
                statuses.add(pool.submit(() -> app.target("/v1/orgs/" + orgId + "/usage").request()
                        .post(Entity.json(body)).getStatus()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        SENT.addAll(records);
    }

    private static Map<String, Object> body(String requestId, Sent record) {
        Map<String, Object> body = new HashMap<>();
        body.put("requestId", requestId);
        body.put("occurredAt", record.occurredAt().toString());
        body.put("inputTokens", record.input());
        body.put("outputTokens", record.output());
        body.put("cacheReadTokens", record.cacheRead());
        body.put("cacheWriteTokens", record.cacheWrite());
        putIfPresent(body, "featureType", record.feature());
        putIfPresent(body, "model", record.model());
        putIfPresent(body, "userId", record.user());
        return body;
    }

    private static void putIfPresent(Map<String, Object> body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /** The answer the service must give: sums of the records sent in [from, to), as JSON maps. */
    private static Map<String, Object> expected(Instant from, Instant to, String groupBy) {
        Function<Sent, String> key = switch (groupBy) {
            case "feature" -> Sent::feature;
            case "model" -> Sent::model;
            case "user" -> Sent::user;
            default -> sent -> sent.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        };
        Map<String, long[]> byKey = new TreeMap<>();
        long[] totals = new long[5];
        for (Sent sent : SENT) {
            if (sent.occurredAt().isBefore(from) || !sent.occurredAt().isBefore(to)) {
                continue;
            }
            String k = key.apply(sent) == null ? "unknown" : key.apply(sent);
            long[] sums = byKey.computeIfAbsent(k, ignored -> new long[5]);
            long[] values = {1, sent.input(), sent.output(), sent.cacheRead(), sent.cacheWrite()};
            for (int i = 0; i < 5; i++) {
                sums[i] += values[i];
                totals[i] += values[i];
            }
        }
        List<Object> breakdown = new ArrayList<>();
        byKey.forEach((k, sums) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", k);
            entry.putAll(sumsAsJson(sums));
            breakdown.add(entry);
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orgId", orgId);
        answer.put("from", from.toString());
        answer.put("to", to.toString());
        answer.put("totals", sumsAsJson(totals));
        answer.put("groupBy", groupBy);
        answer.put("breakdown", breakdown);
        return answer;
    }

    /** Sums as Jackson reads them back: ints where they fit. */
    private static Map<String, Object> sumsAsJson(long[] sums) {
        String[] names = {"requests", "inputTokens", "outputTokens", "cacheReadTokens",
            "cacheWriteTokens"};
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            json.put(names[i], (int) sums[i]);
        }
        return json;
    }

    private static Instant[] range(Instant from, Instant to) {
        return new Instant[] {from, to};
    }

    private static Map<String, String> range(String from, String to) {
        return Map.of("from", from, "to", to);
    }

    private static Map<String, Object> stats(Map<String, String> params) {
        return statsOf(orgId, params);
    }

    private static Map<String, Object> statsOf(String org, Map<String, String> params) {
        Response response = request(org, params).get();
        assertThat(response.getStatus()).as(params.toString()).isEqualTo(200);
        return response.readEntity(JSON);
    }

    private static Invocation.Builder request(String org, Map<String, String> params) {
        WebTarget target = app.target("/v1/orgs/" + org + "/usage/stats");
        for (Map.Entry<String, String> param : params.entrySet()) {
            target = target.queryParam(param.getKey(), param.getValue());
        }
        return target.request();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> totals(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("totals");
    }
}
