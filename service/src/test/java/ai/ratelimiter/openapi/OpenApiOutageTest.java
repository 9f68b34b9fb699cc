package ai.ratelimiter.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.RestartableRedis;
import ai.ratelimiter.testing.TestApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Checks the answers made while Redis cannot be reached against the document: those of the
 * outage policy (200 and 503 with {@code decidedWithoutRedis} and its header) and the 503 of a
 * check or status read that no policy decided.
 */
class OpenApiOutageTest {

    private static final Operation SET_LIMITS = new Operation("PUT", "/v1/orgs/{orgId}/limits");
    private static final Operation CHECK = new Operation("POST", "/v1/orgs/{orgId}/checks");
    private static final Operation STATUS = new Operation("GET", "/v1/orgs/{orgId}/status");

    @Test
    void answersWithoutRedisAreTheDocumentedOnes() throws Exception {
        ApiDocument document = ApiDocument.load();
        DocumentedAnswers answers = new DocumentedAnswers(document);
        try (RestartableRedis redis = new RestartableRedis();
                TestApp app = TestApp.start(
                        ConfigOverride.config("redis.url", redis.url()),
                        ConfigOverride.config("redis.timeout", "200ms"),
                        ConfigOverride.config("redisOutage.localShare", "0.5"),
                        ConfigOverride.config("redisOutage.breakerMaxFailures", "1"))) {
            ObjectMapper mapper = app.support().getEnvironment().getObjectMapper();
            String local = TestApp.newOrgId();
            String deny = TestApp.newOrgId();
            ServedAnswer localSet = setLimits(app, mapper, local, "local");
            ServedAnswer denySet = setLimits(app, mapper, deny, "deny");
            redis.stop();

            ServedAnswer allowedLocally = check(app, mapper, local);
            ServedAnswer refusedLocally = check(app, mapper, local);
            ServedAnswer refused = check(app, mapper, deny);
            ServedAnswer status = send(app, mapper, "GET", "/v1/orgs/" + deny + "/status", null);

            assertThat(List.of(localSet.status(), denySet.status())).containsExactly(200, 200);
            assertThat(List.of(allowedLocally.status(), refusedLocally.status(), refused.status()))
                    .containsExactly(200, 503, 503);
            assertThat(allowedLocally.header("x-ratelimit-decided-without-redis")).hasValue("true");
            assertThat(refusedLocally.body().path("decidedWithoutRedis").asBoolean()).isTrue();
            assertThat(refused.body().path("error").asText()).isEqualTo("store_unavailable");
            assertThat(answers.problems(CHECK, allowedLocally)).isEmpty();
            assertThat(answers.problems(CHECK, refusedLocally)).isEmpty();
            assertThat(answers.problems(CHECK, refused)).isEmpty();
            assertThat(answers.problems(STATUS, status)).isEmpty();
        }
    }

    /** Two requests a minute, so this replica's local share while Redis is down is one. */
    private static ServedAnswer setLimits(TestApp app, ObjectMapper mapper, String orgId,
            String outagePolicy) {
        ObjectNode limits = mapper.createObjectNode()
                .put("requestsPerMinute", 2)
                .put("tokensPerMinute", 100_000)
                .put("requestsPerDay", 1_000)
                .put("tokensPerDay", 1_000_000)
                .put("redisOutagePolicy", outagePolicy);
        return send(app, mapper, SET_LIMITS.method(), "/v1/orgs/" + orgId + "/limits", limits);
    }

    private static ServedAnswer check(TestApp app, ObjectMapper mapper, String orgId) {
        ObjectNode check = mapper.createObjectNode()
                .put("estimatedTokens", 100)
                .put("requestId", "req-" + UUID.randomUUID());
        return send(app, mapper, CHECK.method(), "/v1/orgs/" + orgId + "/checks", check);
    }

    private static ServedAnswer send(TestApp app, ObjectMapper mapper, String method, String path,
            ObjectNode body) {
        Response response = body == null
                ? app.target(path).request(MediaType.APPLICATION_JSON_TYPE).method(method)
                : app.target(path).request(MediaType.APPLICATION_JSON_TYPE)
                        .method(method, Entity.json(body.toString()));
        return ServedAnswer.read(response, mapper);
    }
}
