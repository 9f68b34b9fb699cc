package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.JedisPooled;

/**
 * Bad input answers 400 or 422 with a JSON error naming the field, never 500, and changes
 * nothing (DESIGN 4): one row per mistake, on the check, status and limits endpoints.
 */
class BadInputTest {

    /** Stands for a fresh, valid organization id in a row's path. */
    private static final String ORG = "{org}";
    private static final String TOO_LONG_ORG = "o".repeat(129);
    private static final String JSON_TYPE = "application/json";
    private static final String MAX = "9007199254740991";
    private static final String TWO_TO_THE_53 = "9007199254740992";
    private static final String CHECKS = "/v1/orgs/" + ORG + "/checks";
    private static final String LIMITS = "/v1/orgs/" + ORG + "/limits";
    private static final String FIVE_TOKENS = "{\"estimatedTokens\": 5}";
    /** Over the configured 16 384-byte bound, and otherwise a valid check. */
    private static final String OVERSIZED =
            "{\"estimatedTokens\": 5, \"userId\": \"" + "u".repeat(20_000) + "\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestApp app;
    private static JedisPooled redis;
    private static HttpClient client;

    /**
     * One bad request and the answer it must get.
     *
     * @param path the path with {@link #ORG} standing for a fresh organization id
     * @param body the body, or {@code null} for none
     * @param chunked send the body without a Content-Length
     * @param field the field the error must name, or {@code null} when there is none
     */
    record Row(String method, String path, String contentType, String body, boolean chunked,
            int status, String field) {

        @Override
        public String toString() {
            String shown = (method + " " + abbreviated(path) + " " + contentType
                    + (chunked ? " chunked " : " ") + abbreviated(body == null ? "" : body));
            return shown.replaceAll("\\p{Cntrl}", "?");
        }

        private static String abbreviated(String text) {
            return text.length() > 60 ? text.substring(0, 60) + "..." : text;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
        redis = TestServices.get().newRedisClient();
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        redis.close();
        app.close();
    }

    static Stream<Row> badRequests() {
        return Stream.of(
                check("{\"estimatedTokens\": \"5\"}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": 1.5}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": 1e3}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": 5.0}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": true}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": [5]}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": {\"n\": 5}}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": -1}", 422, "estimatedTokens"),
                check("{\"estimatedTokens\": " + TWO_TO_THE_53 + "}", 422, "estimatedTokens"),
                check("{\"estimatedTokens\": 9223372036854775807}", 422, "estimatedTokens"),
                check("{\"estimatedTokens\": 99999999999999999999999}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": -99999999999999999999999}", 400, "estimatedTokens"),
                check("{\"estimatedTokens\": null}", 422, "estimatedTokens"),
                check("{}", 422, "estimatedTokens"),
                check("{\"requestId\": \"abc\"}", 422, "estimatedTokens"),
                checkWith("colour", "\"red\"", 400, "colour"),
                checkWith("estimatedTokens", "6", 400, null),
                check("{\"estimatedTokens\": 5", 400, null),
                check("{\"estimatedTokens\": 5} {}", 400, null),
                check("estimatedTokens=5", 400, null),
                check("", 400, null),
                check("null", 400, null),
                check("[]", 400, null),
                check("[{\"estimatedTokens\": 5}]", 400, null),
                check("\"five\"", 400, null),
                checkWith("requestId", text("r".repeat(129)), 422, "requestId"),
                checkWith("requestId", "\"\"", 422, "requestId"),
                checkWith("requestId", "\"has space\"", 422, "requestId"),
                checkWith("requestId", "\"tab\\there\"", 422, "requestId"),
                checkWith("requestId", "42", 400, "requestId"),
                checkWith("userId", text("u".repeat(257)), 422, "userId"),
                checkWith("userId", "\"\"", 422, "userId"),
                checkWith("userId", "\"bell\\u0007\"", 422, "userId"),
                checkWith("userId", "\"raw\u0001control\"", 400, "userId"),
                checkWith("userId", "7", 400, "userId"),
                checkWith("model", "\"line\\nbreak\"", 422, "model"),
                checkWith("model", "\"del\\u007f\"", 422, "model"),
                checkWith("model", "true", 400, "model"),
                checkWith("featureType", text("f".repeat(257)), 422, "featureType"),
                checkWith("featureType", "[\"chat\"]", 400, "featureType"),
                checkWith("featureType", "1.5", 400, "featureType"),
                check(OVERSIZED, 400, "body"),
                new Row("POST", CHECKS, JSON_TYPE, OVERSIZED, true, 400, "body"),
                row("POST", CHECKS, "text/plain", FIVE_TOKENS, 400, "Content-Type"),
                row("POST", CHECKS, "application/x-www-form-urlencoded", "estimatedTokens=5", 400,
                        "Content-Type"),
                row("POST", CHECKS, null, FIVE_TOKENS, 400, "Content-Type"),
                checkAt(TOO_LONG_ORG),
                checkAt("has%20space"),
                checkAt("dollar$"),
                checkAt("caf%C3%A9"),
                checkAt("semi%3Bcolon"),
                checkAt("percent%25"),
                checkAt("star*"),
                checkAt("quote%22"),
                checkAt("slash%2Fx"),
                checkAt("back%5Cslash"),
                checkAt("%2E%2E"),
                checkAt("victim;matrix=1"),
                row("POST", "/v1/orgs/nul%00/checks", JSON_TYPE, FIVE_TOKENS, 400, null),
                row("GET", "/v1/orgs/" + TOO_LONG_ORG + "/status", null, null, 400, "orgId"),
                row("GET", "/v1/orgs/bad%20org/status", null, null, 400, "orgId"),
                row("GET", "/v1/orgs/" + TOO_LONG_ORG + "/limits", null, null, 400, "orgId"),
                row("DELETE", "/v1/orgs/" + TOO_LONG_ORG + "/limits", null, null, 400, "orgId"),
                row("PUT", "/v1/orgs/" + TOO_LONG_ORG + "/limits", JSON_TYPE,
                        limits("1", "1", "1", "1"), 400, "orgId"),
                putLimits(limits("1", "1", "1", "1").replace("\"requestsPerMinute\": 1, ", ""), 422,
                        "requestsPerMinute"),
                putLimits(limits("1", "1", "1", "1").replace(", \"tokensPerDay\": 1", ""), 422,
                        "tokensPerDay"),
                putLimits(limits("1", "null", "1", "1"), 422, "tokensPerMinute"),
                putLimits(limits("-1", "1", "1", "1"), 422, "requestsPerMinute"),
                putLimits(limits("1", "-5", "1", "1"), 422, "tokensPerMinute"),
                putLimits(limits("1", "1", TWO_TO_THE_53, "1"), 422, "requestsPerDay"),
                putLimits(limits("1", "1", "1", TWO_TO_THE_53), 422, "tokensPerDay"),
                putLimits(limits("1", "1", "1", "99999999999999999999999"), 400, "tokensPerDay"),
                putLimits(limits("1.5", "1", "1", "1"), 400, "requestsPerMinute"),
                putLimits(limits("\"5\"", "1", "1", "1"), 400, "requestsPerMinute"),
                putLimits(limitsWith("burst", "3"), 400, "burst"),
                putLimits(limitsWith("redisOutagePolicy", text("sometimes")), 422,
                        "redisOutagePolicy"),
                putLimits(limitsWith("redisOutagePolicy", "2"), 400, "redisOutagePolicy"),
                putLimits("{}", 422, "requestsPerMinute"),
                putLimits("", 400, null),
                putLimits("[]", 400, null),
                putLimits("{\"requestsPerMinute\": 1", 400, null),
                row("PUT", LIMITS, "text/plain", limits("1", "1", "1", "1"), 400, "Content-Type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsRefusedNamingItsFieldAndChangesNothing(Row row) throws Exception {
        String orgId = TestApp.newOrgId();
        long keysBefore = redis.dbSize();
        long limitRowsBefore = limitRows();

        HttpResponse<String> response = client.send(request(row, orgId),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(row.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("error").asText()).isNotEmpty();
        assertThat(error.path("message").asText()).isNotEmpty();
        assertThat(error.has("field") ? error.get("field").asText() : null).isEqualTo(row.field());
        assertThat(redis.dbSize()).isEqualTo(keysBefore);
        assertThat(limitRows()).isEqualTo(limitRowsBefore);
        assertUntouched(orgId);
    }

    private static Row row(String method, String path, String contentType, String body, int status,
            String field) {
        return new Row(method, path, contentType, body, false, status, field);
    }

    private static Row check(String body, int status, String field) {
        return row("POST", CHECKS, JSON_TYPE, body, status, field);
    }

    /** A check of 5 tokens with one more member, {@code name: jsonValue}. */
    private static Row checkWith(String name, String jsonValue, int status, String field) {
        String body = "{\"estimatedTokens\": 5, \"" + name + "\": " + jsonValue + "}";
        return check(body, status, field);
    }

    private static Row checkAt(String rawOrgId) {
        String path = "/v1/orgs/" + rawOrgId + "/checks";
        return row("POST", path, JSON_TYPE, FIVE_TOKENS, 400, "orgId");
    }

    private static Row putLimits(String body, int status, String field) {
        return row("PUT", LIMITS, JSON_TYPE, body, status, field);
    }

    private static String text(String value) {
        return "\"" + value + "\"";
    }

    /** Valid limits with one more member, {@code name: jsonValue}. */
    private static String limitsWith(String name, String jsonValue) {
        return limits("1", "1", "1", MAX).replace("}", ", \"" + name + "\": " + jsonValue + "}");
    }

    private static String limits(String rpm, String tpm, String rpd, String tpd) {
        return "{\"requestsPerMinute\": " + rpm + ", \"tokensPerMinute\": " + tpm
                + ", \"requestsPerDay\": " + rpd + ", \"tokensPerDay\": " + tpd + "}";
    }

    private static HttpRequest request(Row row, String orgId) {
        URI uri = URI.create("http://127.0.0.1:" + app.port() + row.path().replace(ORG, orgId));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + app.adminKey());
        if (row.contentType() != null) {
            builder.header("Content-Type", row.contentType());
        }
        if (row.body() == null) {
            return builder.method(row.method(), HttpRequest.BodyPublishers.noBody()).build();
        }
        byte[] bytes = row.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = row.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        return builder.method(row.method(), publisher).build();
    }

    /** The organization's windows are empty and its limits are the defaults. */
    private static void assertUntouched(String orgId) throws Exception {
        String base = "http://127.0.0.1:" + app.port() + "/v1/orgs/" + orgId;
        JsonNode status = get(base + "/status");
        JsonNode limits = get(base + "/limits");
        assertThat(status.get("used")).isEqualTo(JSON.readTree("""
                {"minuteRequests": 0, "minuteTokens": 0, "dayRequests": 0, "dayTokens": 0}
                """));
        assertThat(limits.get("source").asText()).isEqualTo("default");
    }

    private static JsonNode get(String uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + app.adminKey())
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static long limitRows() {
        return TestServices.get().jdbi().withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM ai_rate_limits").mapTo(Long.class).one());
    }
}
