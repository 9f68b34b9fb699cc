package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CheckSmokeTest {

    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void firstCheckOfAnOrganizationIsAllowedWithItsHeaders() {
        String orgId = TestApp.newOrgId();

        Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 500)));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("x-ratelimit-remaining-requests")).isEqualTo("59");
        assertThat(response.getHeaderString("x-ratelimit-remaining-tokens")).isEqualTo("99500");
    }
}
