package ai.ratelimiter.bench;

import ai.ratelimiter.checks.CheckRequest;
import ai.ratelimiter.http.ApiException;
import ai.ratelimiter.http.Fields;
import ai.ratelimiter.http.JsonErrorMappers;
import ai.ratelimiter.http.OrganizationIds;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.AutoCloseableManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

/**
 * The baselines our checks are measured against, on the same HTTP stack as the service
 * (Dropwizard, Jetty, Jersey, Jackson, the same request parsing and validation):
 * {@code /floor/...} answers a constant without touching Redis, the floor the HTTP layer
 * sets; {@code /naive/...} checks the naive way, a read round trip then a write round trip
 * per request, with no actor, no coalescing and no atomicity.
 */
public final class BaselineApplication extends Application<BaselineApplication.Settings> {

    /** Configuration: the usual server block and the Redis the naive check uses. */
    public static final class Settings extends Configuration {
        @JsonProperty
        private String redisUrl = "redis://127.0.0.1:6379";

        @JsonProperty
        private long requestsPerMinute = 1000;

        @JsonProperty
        private long tokensPerMinute = 1_000_000_000L;
    }

    public static void main(String[] args) throws Exception {
        new BaselineApplication().run(args);
    }

    @Override
    public void initialize(Bootstrap<Settings> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(Settings settings, Environment environment) {
        JedisPooled redis = new JedisPooled(URI.create(settings.redisUrl));
        environment.lifecycle().manage(new AutoCloseableManager(redis));
        environment.jersey().register(new JsonErrorMappers.JsonProcessing());
        environment.jersey().register(new JsonErrorMappers.WebApplication());
        environment.jersey().register(new Floor());
        environment.jersey().register(new Naive(redis, settings.requestsPerMinute, settings.tokensPerMinute));
    }

    static long validEstimate(String orgId, CheckRequest request) {
        OrganizationIds.requireValid(orgId);
        if (request == null) {
            throw ApiException.badRequest(null, "a JSON body is required");
        }
        Fields.optionalRequestId(request.requestId());
        return Fields.requireTokens("estimatedTokens", request.estimatedTokens());
    }

    static Response answer(int status, long decidedAtMs, long remaining) {
        Map<String, Object> body = Map.of("allowed", status == 200, "requestId", UUID.randomUUID().toString(),
                "decidedAtMs", decidedAtMs, "remaining", Map.of("requestsPerMinute", remaining));
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .header("x-ratelimit-remaining-requests", remaining).build();
    }

    /** Answers every valid check with the same decision. */
    @Path("/floor/v1/orgs/{orgId}/checks")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static final class Floor {
        @POST
        public Response check(@PathParam("orgId") String orgId, CheckRequest request) {
            validEstimate(orgId, request);
            return answer(200, System.currentTimeMillis(), 59);
        }
    }

    /** Reads the minute window, decides in Java, then writes: two round trips, racy. */
    @Path("/naive/v1/orgs/{orgId}/checks")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    public static final class Naive {
        private final JedisPooled redis;
        private final long requestsPerMinute;
        private final long tokensPerMinute;

        Naive(JedisPooled redis, long requestsPerMinute, long tokensPerMinute) {
            this.redis = redis;
            this.requestsPerMinute = requestsPerMinute;
            this.tokensPerMinute = tokensPerMinute;
        }

        @POST
        public Response check(@PathParam("orgId") String orgId, CheckRequest request) {
            long estimate = validEstimate(orgId, request);
            String requests = "naive:{" + orgId + "}:requests";
            String tokens = "naive:{" + orgId + "}:tokens";
            long now = System.currentTimeMillis();

            List<Object> read;
            try (Pipeline pipeline = redis.pipelined()) {
                pipeline.zremrangeByScore(requests, 0, now - 60_000);
                pipeline.zcard(requests);
                pipeline.get(tokens);
                read = pipeline.syncAndReturnAll();
            }
            long count = (Long) read.get(1);
            long used = read.get(2) == null ? 0 : Long.parseLong((String) read.get(2));
            // Only organizations named exact-* are limited: the others measure throughput.
            long limit = orgId.startsWith("exact-") ? requestsPerMinute : Long.MAX_VALUE;
            if (count >= limit || used + estimate > tokensPerMinute) {
                return answer(429, now, 0);
            }

            try (Pipeline pipeline = redis.pipelined()) {
                pipeline.zadd(requests, now, UUID.randomUUID().toString());
                pipeline.incrBy(tokens, estimate);
                pipeline.pexpire(requests, 61_000);
                pipeline.pexpire(tokens, 61_000);
                pipeline.sync();
            }
            return answer(200, now, Math.max(0, limit - count - 1));
        }
    }
}
