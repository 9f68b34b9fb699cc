package ai.ratelimiter.limits;

import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.OrganizationIds;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET}, {@code PUT} and {@code DELETE /v1/orgs/{orgId}/limits}: reads, sets and resets
 * an organization's limits. A change is stored in Postgres first and then announced, so the
 * organization's next check uses it.
 */
@Path("/v1/orgs/{orgId}/limits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class LimitsResource {

    private static final Logger LOG = LoggerFactory.getLogger(LimitsResource.class);

    private final LimitsDao dao;
    private final Limits defaults;
    private final LimitsChangeListener listener;

    public LimitsResource(LimitsDao dao, Limits defaults, LimitsChangeListener listener) {
        this.dao = dao;
        this.defaults = defaults;
        this.listener = listener;
    }

    @GET
    public LimitsResponse read(@PathParam("orgId") String orgId) {
        OrganizationIds.requireValid(orgId);
        Optional<Limits> custom = dao.find(orgId);
        return custom.map(limits -> new LimitsResponse(orgId, limits, "custom"))
                .orElseGet(() -> new LimitsResponse(orgId, defaults, "default"));
    }

    @PUT
    public LimitsResponse replace(@PathParam("orgId") String orgId, LimitsRequest request) {
        OrganizationIds.requireValid(orgId);
        if (request == null) {
            throw ApiException.badRequest(null, "a JSON body is required");
        }
        Limits limits = request.toLimits();
        dao.save(orgId, limits);
        LOG.info("limits set: orgId={} rpm={} tpm={} rpd={} tpd={}", orgId, limits.requestsPerMinute(),
                limits.tokensPerMinute(), limits.requestsPerDay(), limits.tokensPerDay());
        listener.limitsChanged(orgId, limits);
        return new LimitsResponse(orgId, limits, "custom");
    }

    @DELETE
    public LimitsResponse reset(@PathParam("orgId") String orgId) {
        OrganizationIds.requireValid(orgId);
        if (dao.delete(orgId) > 0) {
            LOG.info("limits reset to defaults: orgId={}", orgId);
        }
        listener.limitsChanged(orgId, defaults);
        return new LimitsResponse(orgId, defaults, "default");
    }
}
