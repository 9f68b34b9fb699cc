package ai.ratelimiter.checks;

import ai.ratelimiter.http.OrganizationIds;
import ai.ratelimiter.organizations.LimiterReply;
import ai.ratelimiter.organizations.OrgLimiters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/** {@code GET /v1/orgs/{orgId}/status}: the organization's windows, read without consuming. */
@Path("/v1/orgs/{orgId}/status")
@Produces(MediaType.APPLICATION_JSON)
public final class StatusResource {

    private final OrgLimiters limiters;

    public StatusResource(OrgLimiters limiters) {
        this.limiters = limiters;
    }

    @GET
    public CompletionStage<Response> status(@PathParam("orgId") String orgId) {
        OrganizationIds.requireValid(orgId);
        return limiters.status(orgId).thenApply(reply -> toResponse(orgId, reply));
    }

    private static Response toResponse(String orgId, LimiterReply reply) {
        if (reply instanceof LimiterReply.Done done) {
            StatusResponse body = new StatusResponse(orgId, done.snapshot().nowMs(), done.limits(),
                    done.snapshot().usage(), done.snapshot().usage().remainingOf(done.limits()),
                    done.snapshot().minuteResetMs(), done.snapshot().dayResetMs());
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return CheckAnswers.unavailable(((LimiterReply.Unavailable) reply).message());
    }
}
