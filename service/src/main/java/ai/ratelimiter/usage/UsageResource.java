package ai.ratelimiter.usage;

import ai.ratelimiter.http.ApiError;
import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.OrganizationIds;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/orgs/{orgId}/usage}: stores a finished call's usage for billing and corrects
 * the organization's windows. Answers 201 once the record's transaction committed (after the
 * windows were corrected or that failed), 200 with the stored record for a repeat with the same
 * content, 409 for a request id reused with different content, and 503 with Retry-After when
 * the record could not be stored now. Asynchronous: no server thread waits for the database.
 */
@Path("/v1/orgs/{orgId}/usage")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class UsageResource {

    private static final ApiError CONFLICT = ApiError.of("request_id_conflict", "requestId",
            "requestId was already used for a usage record with different content");

    private final UsageWriter writer;
    private final UsageReconciler reconciler;
    private final Clock clock;
    private final long retryAfterSeconds;

    public UsageResource(UsageWriter writer, UsageReconciler reconciler, Clock clock,
            long retryAfterSeconds) {
        this.writer = writer;
        this.reconciler = reconciler;
        this.clock = clock;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @POST
    public CompletionStage<Response> record(@PathParam("orgId") String orgId,
            UsageRequest request) {
        OrganizationIds.requireValid(orgId);
        if (request == null) {
            throw ApiException.badRequest(null, "a JSON body is required");
        }
        IncomingUsage usage = request.toIncoming(orgId, clock.instant());

        return writer.submit(usage)
                .thenCompose(this::answer)
                .exceptionally(this::unavailable);
    }

    private CompletionStage<Response> answer(WriteOutcome outcome) {
        UsageRecord stored = outcome.stored();
        return switch (outcome.kind()) {
            case CREATED -> reconciler.reconcile(stored)
                    .thenApply(ignored -> json(201, UsageResponse.of(stored)));
            case REPEATED -> CompletableFuture.completedFuture(json(200, UsageResponse.of(stored)));
            case CONFLICT -> CompletableFuture.completedFuture(json(409, CONFLICT));
        };
    }

    /**
     * 503 for a record that could not be stored now. Anything else is a bug: it goes on to the
     * exception mappers, which log it once with an id and answer 500.
     */
    private Response unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (!(cause instanceof UsageUnavailableException)) {
            throw failure instanceof CompletionException completion
                    ? completion : new CompletionException(failure);
        }
        return Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", retryAfterSeconds)
                .entity(ApiError.of("usage_unavailable", null, cause.getMessage()))
                .build();
    }

    private static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
