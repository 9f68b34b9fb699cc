package ai.ratelimiter.stats;

import ai.ratelimiter.http.ApiError;
import ai.ratelimiter.http.OrganizationIds;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/orgs/{orgId}/usage/stats?period=day|week|month} or {@code ?from=&to=}, with
 * {@code groupBy=feature|model|user|day}: an organization's usage totals and breakdown. Runs on
 * the server thread (the query reads a bounded number of rows); at most a configured number run
 * at once, and beyond that callers get 503 with Retry-After.
 */
@Path("/v1/orgs/{orgId}/usage/stats")
@Produces(MediaType.APPLICATION_JSON)
public final class StatsResource {

    private static final Logger LOG = LoggerFactory.getLogger(StatsResource.class);
    private static final String RETRY_SECONDS = "1";

    private final UsageStatistics statistics;
    private final Clock clock;
    private final Duration maxSpan;
    private final Semaphore running;

    public StatsResource(UsageStatistics statistics, Clock clock, Duration maxSpan,
            int maxConcurrentQueries) {
        this.statistics = statistics;
        this.clock = clock;
        this.maxSpan = maxSpan;
        this.running = new Semaphore(maxConcurrentQueries);
    }

    @GET
    public Response stats(@PathParam("orgId") String orgId, @QueryParam("period") String period,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("groupBy") String groupBy) {
        OrganizationIds.requireValid(orgId);
        StatsQuery query = StatsQuery.parse(orgId, period, from, to, groupBy, clock.instant(),
                maxSpan);

        if (!running.tryAcquire()) {
            return unavailable("stats_busy", "too many statistics queries at once");
        }
        try {
            return Response.ok(statistics.load(query), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (JdbiException e) {
            LOG.warn("usage statistics unavailable: orgId={} error={}", orgId, e.toString());
            return unavailable("stats_unavailable", "usage store unavailable");
        } finally {
            running.release();
        }
    }

    private static Response unavailable(String error, String message) {
        return Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", RETRY_SECONDS)
                .entity(ApiError.of(error, null, message))
                .build();
    }
}
