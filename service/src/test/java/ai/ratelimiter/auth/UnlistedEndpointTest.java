package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestServices;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An endpoint that {@link AccessPolicy} has no rule for, such as one added after this policy
 * was written, is closed to every key but an admin's: deny by default.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnlistedEndpointTest {

    private static final String ADMIN_KEY = "unlisted-endpoint-test-admin-key-0123456789";
    private static final String ORG_ID = "unlisted-org";

    private static final ApiKeyIssuer ISSUER = new ApiKeyIssuer(
            TestServices.get().jdbi().onDemand(ApiKeyDao.class), new SecureRandom());

    private static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .addResource(new UnlistedResource())
            .addProvider(new AccessFeature(new BearerAuthFilter(new ApiKeyAuthenticator(
                    TestServices.get().jdbi().onDemand(ApiKeyDao.class), Optional.of(ADMIN_KEY))),
                    AccessPolicy.standard()))
            .build();

    @Test
    void endpointWithoutARuleAnswersAnAdminKey() {
        Response response = get(ADMIN_KEY);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.readEntity(String.class)).isEqualTo("reached " + ORG_ID);
    }

    @Test
    void endpointWithoutARuleRefusesAServiceKey() {
        String key = ISSUER.issue(Role.SERVICE, null, null).key();

        Response response = get(key);

        assertThat(response.getStatus()).isEqualTo(403);
    }

    @Test
    void endpointWithoutARuleRefusesAnOrgKeyOfItsOwnOrganization() {
        String key = ISSUER.issue(Role.ORG, ORG_ID, null).key();

        Response response = get(key);

        assertThat(response.getStatus()).isEqualTo(403);
    }

    @Test
    void endpointWithoutARuleRefusesARequestWithoutKey() {
        Response response = RESOURCES.target("/v1/orgs/" + ORG_ID + "/unlisted").request().get();

        assertThat(response.getStatus()).isEqualTo(401);
    }

    private static Response get(String key) {
        return RESOURCES.target("/v1/orgs/" + ORG_ID + "/unlisted").request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .get();
    }

    /** A resource that no rule of the policy names. */
    @Path("/v1/orgs/{orgId}/unlisted")
    public static final class UnlistedResource {
        @GET
        public String read(@PathParam("orgId") String orgId) {
            return "reached " + orgId;
        }
    }
}
