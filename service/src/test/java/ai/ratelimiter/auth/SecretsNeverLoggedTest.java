package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.ConsoleCapture;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs a service with the service's own loggers and Dropwizard's auth at DEBUG, the request
 * log on, and requests with good, bad and revoked keys, then searches everything it wrote to
 * the console for any key, secret or key hash.
 */
class SecretsNeverLoggedTest {

    @Test
    void noKeySecretOrHashAppearsInTheLogs() throws Exception {
        ApiKeyIssuer issuer = new ApiKeyIssuer(TestServices.get().jdbi().onDemand(ApiKeyDao.class),
                new SecureRandom());
        String orgId = TestApp.newOrgId();
        IssuedKey service = issuer.issue(Role.SERVICE, null, "logs");
        IssuedKey org = issuer.issue(Role.ORG, orgId, "logs");
        IssuedKey foreign = issuer.issue(Role.ORG, TestApp.newOrgId(), "logs");
        IssuedKey revoked = issuer.issue(Role.SERVICE, null, "logs");
        issuer.revoke(revoked.id());
        String wrongSecret = service.key().substring(0, service.key().length() - 64) + "e".repeat(64);
        List<String> keys = new ArrayList<>(List.of(service.key(), org.key(), foreign.key(), revoked.key(),
                wrongSecret));

        String console;
        try (ConsoleCapture capture = ConsoleCapture.start(written -> false)) {
            try (TestApp app = TestApp.start(ConfigOverride.config("logging.level", "INFO"))) {
                keys.add(app.adminKey());
                debug("ai.ratelimiter", "io.dropwizard.auth");
                callWithEveryKindOfKey(app, orgId, keys);
            }
            console = capture.text();
        }

        assertThat(console).contains("\"POST /v1/orgs/" + orgId + "/checks HTTP/1.1\" 200");
        assertThat(console).contains("\"POST /v1/orgs/" + orgId + "/checks HTTP/1.1\" 401");
        for (String key : keys) {
            byte[] hash = ApiKeyFormat.sha256(key);
            assertThat(console).doesNotContain(key)
                    .doesNotContain(key.substring(key.length() - 32))
                    .doesNotContain(HexFormat.of().formatHex(hash))
                    .doesNotContain(Base64.getEncoder().encodeToString(hash))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
        }
    }

    private static void callWithEveryKindOfKey(TestApp app, String orgId, List<String> keys) {
        String checks = "/v1/orgs/" + orgId + "/checks";
        for (String key : keys) {
            app.target(checks, key).request().post(Entity.json(Map.of("estimatedTokens", 1))).close();
            app.target("/v1/orgs/" + orgId + "/limits", key).request()
                    .put(Entity.json(Map.of("requestsPerMinute", 1))).close();
            app.anonymousTarget(checks).request().header(HttpHeaders.AUTHORIZATION, "Basic " + key)
                    .post(Entity.json(Map.of("estimatedTokens", 1))).close();
            app.anonymousTarget(checks).request().header(HttpHeaders.AUTHORIZATION, "Bearer " + key + ",x")
                    .post(Entity.json(Map.of("estimatedTokens", 1))).close();
            app.anonymousTarget(checks).request().header(HttpHeaders.AUTHORIZATION, "Bearer " + key + "z")
                    .post(Entity.json("{\"estimatedTokens\":")).close();
        }
    }

    private static void debug(String... loggers) {
        for (String name : loggers) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG);
        }
    }
}
