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
            String shown = body == null ? "" : body.length() > 60 ? body.substring(0, 60) + "..." : body;
            String shownPath = path.length() > 60 ? path.substring(0, 60) + "..." : path;
            return method + " " + shownPath + " " + contentType + (chunked ? " chunked " : " ")
                    + shown.replaceAll("\\p{Cntrl}", "?");
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
                check("{\"estimatedTokens\": 5, \"colour\": \"red\"}", 400, "colour"),
                check("{\"estimatedTokens\": 5, \"estimatedTokens\": 6}", 400, null),
                check("{\"estimatedTokens\": 5", 400, null),
                check("{\"estimatedTokens\": 5} {}", 400, null),
                check("estimatedTokens=5", 400, null),
                check("", 400, null),
                check("null", 400, null),
                check("[]", 400, null),
                check("[{\"estimatedTokens\": 5}]", 400, null),
                check("\"five\"", 400, null),
                check("{\"estimatedTokens\": 5, \"requestId\": \"" + "r".repeat(129) + "\"}", 422, "requestId"),
                check("{\"estimatedTokens\": 5, \"requestId\": \"\"}", 422, "requestId"),
                check("{\"estimatedTokens\": 5, \"requestId\": \"has space\"}", 422, "requestId"),
                check("{\"estimatedTokens\": 5, \"requestId\": \"tab\\there\"}", 422, "requestId"),
                check("{\"estimatedTokens\": 5, \"requestId\": 42}", 400, "requestId"),
                check("{\"estimatedTokens\": 5, \"userId\": \"" + "u".repeat(257) + "\"}", 422, "userId"),
                check("{\"estimatedTokens\": 5, \"userId\": \"\"}", 422, "userId"),
                check("{\"estimatedTokens\": 5, \"userId\": \"bell\\u0007\"}", 422, "userId"),
                check("{\"estimatedTokens\": 5, \"model\": \"line\\nbreak\"}", 422, "model"),
                check("{\"estimatedTokens\": 5, \"model\": \"del\\u007f\"}", 422, "model"),
                check("{\"estimatedTokens\": 5, \"featureType\": \"" + "f".repeat(257) + "\"}", 422,
                        "featureType"),
                check("{\"estimatedTokens\": 5, \"featureType\": [\"chat\"]}", 400, "featureType"),
                check("{\"estimatedTokens\": 5, \"userId\": \"raw\u0001control\"}", 400, "userId"),
                check("{\"estimatedTokens\": 5, \"userId\": 7}", 400, "userId"),
                check("{\"estimatedTokens\": 5, \"model\": true}", 400, "model"),
                check("{\"estimatedTokens\": 5, \"featureType\": 1.5}", 400, "featureType"),
                check("{\"estimatedTokens\": 5, \"userId\": \"" + "u".repeat(20_000) + "\"}", 400, "body"),
                new Row("POST", "/v1/orgs/" + ORG + "/checks", JSON_TYPE,
                        "{\"estimatedTokens\": 5, \"userId\": \"" + "u".repeat(20_000) + "\"}", true, 400,
                        "body"),
                new Row("POST", "/v1/orgs/" + ORG + "/checks", "text/plain", "{\"estimatedTokens\": 5}",
                        false, 400, "Content-Type"),
                new Row("POST", "/v1/orgs/" + ORG + "/checks", "application/x-www-form-urlencoded",
                        "estimatedTokens=5", false, 400, "Content-Type"),
                new Row("POST", "/v1/orgs/" + ORG + "/checks", null, "{\"estimatedTokens\": 5}", false,
                        400, "Content-Type"),
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
                new Row("POST", "/v1/orgs/nul%00/checks", JSON_TYPE, "{\"estimatedTokens\": 5}", false, 400,
                        null),
                new Row("GET", "/v1/orgs/" + TOO_LONG_ORG + "/status", null, null, false, 400, "orgId"),
                new Row("GET", "/v1/orgs/bad%20org/status", null, null, false, 400, "orgId"),
                new Row("GET", "/v1/orgs/" + TOO_LONG_ORG + "/limits", null, null, false, 400, "orgId"),
                new Row("DELETE", "/v1/orgs/" + TOO_LONG_ORG + "/limits", null, null, false, 400, "orgId"),
                new Row("PUT", "/v1/orgs/" + TOO_LONG_ORG + "/limits", JSON_TYPE, limits("1", "1", "1", "1"),
                        false, 400, "orgId"),
                putLimits("{\"tokensPerMinute\": 1, \"requestsPerDay\": 1, \"tokensPerDay\": 1}", 422,
                        "requestsPerMinute"),
                putLimits("{\"requestsPerMinute\": 1, \"tokensPerMinute\": 1, \"requestsPerDay\": 1}", 422,
                        "tokensPerDay"),
                putLimits(limits("1", "null", "1", "1"), 422, "tokensPerMinute"),
                putLimits(limits("-1", "1", "1", "1"), 422, "requestsPerMinute"),
                putLimits(limits("1", "-5", "1", "1"), 422, "tokensPerMinute"),
                putLimits(limits("1", "1", TWO_TO_THE_53, "1"), 422, "requestsPerDay"),
                putLimits(limits("1", "1", "1", TWO_TO_THE_53), 422, "tokensPerDay"),
                putLimits(limits("1", "1", "1", "99999999999999999999999"), 400, "tokensPerDay"),
                putLimits(limits("1.5", "1", "1", "1"), 400, "requestsPerMinute"),
                putLimits(limits("\"5\"", "1", "1", "1"), 400, "requestsPerMinute"),
                putLimits(limits("1", "1", "1", MAX).replace("}", ", \"burst\": 3}"), 400, "burst"),
                putLimits(limits("1", "1", "1", "1").replace("}", ", \"redisOutagePolicy\": \"sometimes\"}"),
                        422, "redisOutagePolicy"),
                putLimits(limits("1", "1", "1", "1").replace("}", ", \"redisOutagePolicy\": 2}"), 400,
                        "redisOutagePolicy"),
                putLimits("{}", 422, "requestsPerMinute"),
                putLimits("", 400, null),
                putLimits("[]", 400, null),
                putLimits("{\"requestsPerMinute\": 1", 400, null),
                new Row("PUT", "/v1/orgs/" + ORG + "/limits", "text/plain", limits("1", "1", "1", "1"),
                        false, 400, "Content-Type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsRefusedNamingItsFieldAndChangesNothing(Row row) throws Exception {
        String orgId = TestApp.newOrgId();
        long keysBefore = redis.dbSize();
        long limitRowsBefore = limitRows();

        HttpResponse<String> response = client.send(request(row, orgId), HttpResponse.BodyHandlers.ofString());

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

    private static Row check(String body, int status, String field) {
        return new Row("POST", "/v1/orgs/" + ORG + "/checks", JSON_TYPE, body, false, status, field);
    }

    private static Row checkAt(String rawOrgId) {
        return new Row("POST", "/v1/orgs/" + rawOrgId + "/checks", JSON_TYPE, "{\"estimatedTokens\": 5}",
                false, 400, "orgId");
    }

    private static Row putLimits(String body, int status, String field) {
        return new Row("PUT", "/v1/orgs/" + ORG + "/limits", JSON_TYPE, body, false, status, field);
    }

    private static String limits(String rpm, String tpm, String rpd, String tpd) {
        return "{\"requestsPerMinute\": " + rpm + ", \"tokensPerMinute\": " + tpm
                + ", \"requestsPerDay\": " + rpd + ", \"tokensPerDay\": " + tpd + "}";
    }

    private static HttpRequest request(Row row, String orgId) {
        URI uri = URI.create("http://127.0.0.1:" + app.port() + row.path().replace(ORG, orgId));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
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
        JsonNode status = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode limits = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/limits")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(status.get("used").toString())
                .isEqualTo("{\"minuteRequests\":0,\"minuteTokens\":0,\"dayRequests\":0,\"dayTokens\":0}");
        assertThat(limits.get("source").asText()).isEqualTo("default");
    }

    private static long limitRows() {
        return TestServices.get().jdbi().withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM ai_rate_limits").mapTo(Long.class).one());
    }
}
