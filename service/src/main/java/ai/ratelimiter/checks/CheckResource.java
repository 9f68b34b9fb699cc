package ai.ratelimiter.checks;

import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.Fields;
import ai.ratelimiter.http.OrganizationIds;
import ai.ratelimiter.organizations.OrgLimiters;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/orgs/{orgId}/checks}: asks the organization's limiter whether a call of
 * about {@code estimatedTokens} may go ahead now, and consumes it if so. Answers 200 when
 * allowed and 429 when denied, asynchronously: no server thread waits for the limiter.
 */
@Path("/v1/orgs/{orgId}/checks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class CheckResource {

    private final OrgLimiters limiters;
    private final CheckAnswers answers;
    private final CheckMetrics metrics;
    private final DecisionLog decisions;

    public CheckResource(OrgLimiters limiters, CheckAnswers answers, CheckMetrics metrics,
            DecisionLog decisions) {
        this.limiters = limiters;
        this.answers = answers;
        this.metrics = metrics;
        this.decisions = decisions;
    }

    @POST
    public CompletionStage<Response> check(@PathParam("orgId") String orgId, CheckRequest request) {
        OrganizationIds.requireValid(orgId);
        if (request == null) {
            throw ApiException.badRequest(null, "a JSON body is required");
        }
        long estimatedTokens = Fields.requireTokens("estimatedTokens", request.estimatedTokens());
        String requestId = Fields.optionalRequestId(request.requestId());
        Fields.optionalLabel("userId", request.userId());
        Fields.optionalLabel("model", request.model());
        Fields.optionalLabel("featureType", request.featureType());
        String id = requestId != null ? requestId : UUID.randomUUID().toString();
        long started = System.nanoTime();

        return limiters.check(orgId, id, requestId != null, estimatedTokens)
                .thenApply(reply -> {
                    metrics.record(reply, System.nanoTime() - started);
                    decisions.record(orgId, id, estimatedTokens, reply);
                    return answers.toResponse(orgId, id, reply);
                });
    }
}
