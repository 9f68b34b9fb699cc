package ai.ratelimiter.limits;

import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.OrganizationIds;
import ai.ratelimiter.windows.OutagePolicy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET}, {@code PUT} and {@code DELETE /v1/orgs/{orgId}/limits}: reads, sets and resets
 * an organization's limits. A change is stored in Postgres first and then announced, so the
 * organization's next check on this replica uses it, and other replicas follow within a second.
 */
@Path("/v1/orgs/{orgId}/limits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class LimitsResource {

    private static final Logger LOG = LoggerFactory.getLogger(LimitsResource.class);

    private final LimitsDao dao;
    private final Limits defaults;
    private final OutagePolicy defaultOutagePolicy;
    private final LimitsChangeListener listener;

    public LimitsResource(LimitsDao dao, Limits defaults, OutagePolicy defaultOutagePolicy,
            LimitsChangeListener listener) {
        this.dao = dao;
        this.defaults = defaults;
        this.defaultOutagePolicy = defaultOutagePolicy;
        this.listener = listener;
    }

    @GET
    public LimitsResponse read(@PathParam("orgId") String orgId) {
        OrganizationIds.requireValid(orgId);
        return withDatabase(orgId, "read", () -> dao.find(orgId))
                .map(settings -> response(orgId, settings, "custom"))
                .orElseGet(() -> response(orgId, OrgSettings.of(defaults), "default"));
    }

    @PUT
    public LimitsResponse replace(@PathParam("orgId") String orgId, LimitsRequest request) {
        OrganizationIds.requireValid(orgId);
        if (request == null) {
            throw ApiException.badRequest(null, "a JSON body is required");
        }
        OrgSettings settings = request.toSettings();
        Limits limits = settings.limits();

        withDatabase(orgId, "set", () -> {
            dao.save(orgId, settings);
            return null;
        });
        LOG.info("limits set: orgId={} rpm={} tpm={} rpd={} tpd={} redisOutagePolicy={}", orgId,
                limits.requestsPerMinute(), limits.tokensPerMinute(), limits.requestsPerDay(),
                limits.tokensPerDay(), settings.outagePolicyOverride().map(OutagePolicy::wireName).orElse("default"));
        listener.limitsChanged(orgId, settings);
        return response(orgId, settings, "custom");
    }

    @DELETE
    public LimitsResponse reset(@PathParam("orgId") String orgId) {
        OrganizationIds.requireValid(orgId);
        OrgSettings settings = OrgSettings.of(defaults);

        if (withDatabase(orgId, "reset", () -> dao.delete(orgId)) > 0) {
            LOG.info("limits reset to defaults: orgId={}", orgId);
        }
        listener.limitsChanged(orgId, settings);
        return response(orgId, settings, "default");
    }

    /** Runs a Postgres call; a database failure answers 503 and changes nothing. */
    private static <T> T withDatabase(String orgId, String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (JdbiException e) {
            LOG.warn("limits {} failed, answering 503: orgId={} error={}", operation, orgId, e.getMessage());
            throw new ApiException(503, "database_unavailable", null,
                    "limits cannot be " + operation + " right now; retry later", "1");
        }
    }

    private LimitsResponse response(String orgId, OrgSettings settings, String source) {
        return new LimitsResponse(orgId, settings.limits(), source,
                settings.outagePolicyOverride().orElse(defaultOutagePolicy));
    }
}
