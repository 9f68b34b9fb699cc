package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.CuttableProxy;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys while the service cannot reach Postgres (a proxy in front of it, cut by the test): a
 * key verified before the outage keeps working, so checks go on; a key never seen answers 503,
 * not 401, since it may well be valid; all keys work again once Postgres is back. The key
 * cache is off so that every request asks the key store.
 */
class KeyStoreOutageTest {

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    private static CuttableProxy proxy;
    private static TestApp app;
    private static ApiKeyIssuer issuer;

    @BeforeAll
    static void start() throws Exception {
        TestServices services = TestServices.get();
        Matcher database = HOST_PORT.matcher(services.databaseUrl());
        assertThat(database.find()).isTrue();
        proxy = new CuttableProxy(database.group(1), Integer.parseInt(database.group(2)));
        String proxiedUrl = database.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
        app = TestApp.start(ConfigOverride.config("database.url", proxiedUrl),
                ConfigOverride.config("auth.cacheTtl", "0ms"));
        issuer = new ApiKeyIssuer(services.jdbi().onDemand(ApiKeyDao.class), new SecureRandom());
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        proxy.close();
    }

    @Test
    void keysVerifiedBeforeAnOutageWorkAndNewOnesWaitForPostgres() throws Exception {
        String orgId = TestApp.newOrgId();
        String known = issuer.issue(Role.SERVICE, null, "outage known").key();
        String unseen = issuer.issue(Role.SERVICE, null, "outage unseen").key();
        int beforeOutage = check(orgId, known).getStatus();

        proxy.cut();
        Response knownDuringOutage = check(orgId, known);
        Response unseenDuringOutage = check(orgId, unseen);
        Map<?, ?> unseenBody = unseenDuringOutage.readEntity(Map.class);
        proxy.restore();
        int unseenAfterOutage = pollWhileUnavailable(orgId, unseen);

        assertThat(beforeOutage).isEqualTo(200);
        assertThat(knownDuringOutage.getStatus()).isEqualTo(200);
        assertThat(unseenDuringOutage.getStatus()).isEqualTo(503);
        assertThat(unseenDuringOutage.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(unseenBody.get("error")).isEqualTo("key_store_unavailable");
        assertThat(unseenAfterOutage).isEqualTo(200);
    }

    @Test
    void bootstrapAdminKeyNeedsNoPostgres() throws Exception {
        String orgId = TestApp.newOrgId();
        check(orgId, app.adminKey());

        proxy.cut();
        Response response;
        try {
            response = check(orgId, app.adminKey());
        } finally {
            proxy.restore();
        }

        assertThat(response.getStatus()).isEqualTo(200);
    }

    private static Response check(String orgId, String key) {
        return app.target("/v1/orgs/" + orgId + "/checks", key).request()
                .post(Entity.json(Map.of("estimatedTokens", 1)));
    }

    /** The pool's broken connections are dropped one failed use at a time; bounded at 10 s. */
    private static int pollWhileUnavailable(String orgId, String key) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status;
        do {
            status = check(orgId, key).getStatus();
            if (status == 503) {
                Thread.sleep(50);
            }
        } while (status == 503 && System.nanoTime() < deadline);
        return status;
    }
}
