package ai.ratelimiter.checks;

import ai.ratelimiter.http.ApiError;
import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.organizations.LimiterReply;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.WindowSnapshot;
import ai.ratelimiter.windows.WindowUsage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Turns a limiter's reply to a check into the HTTP answer: status, JSON body, and the rate
 * limit headers AI clients and gateways already parse. 200 allowed, 429 denied by the
 * windows, 503 when no decision could be made or the outage policy refused. Stateless and
 * thread-safe.
 */
public final class CheckAnswers {

    static final String UNAVAILABLE_RETRY_SECONDS = "1";

    /** Set to {@code true} on every answer decided by the outage policy instead of Redis. */
    public static final String WITHOUT_REDIS_HEADER = "x-ratelimit-decided-without-redis";

    public Response toResponse(String orgId, String requestId, LimiterReply reply) {
        if (reply instanceof LimiterReply.Done done && done.result() != null) {
            return decided(requestId, done);
        }
        String message = reply instanceof LimiterReply.Unavailable unavailable
                ? unavailable.message() : "no decision";
        return unavailable(message);
    }

    /** 503 with Retry-After: the limiter could not reach its windows or answer in time. */
    static Response unavailable(String message) {
        return Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", UNAVAILABLE_RETRY_SECONDS)
                .entity(ApiError.of("store_unavailable", null, message))
                .build();
    }

    private Response decided(String requestId, LimiterReply.Done done) {
        OperationResult result = done.result();
        Limits limits = done.limits();
        WindowSnapshot snapshot = done.snapshot();
        WindowUsage remaining = result.usage().remainingOf(limits);
        boolean allowed = result.outcome() != Outcome.DENIED;
        Long retryAfterMs = result.retryAfterMs() >= 0 ? result.retryAfterMs() : null;

        CheckResponse body = new CheckResponse(allowed, requestId,
                result.outcome() == Outcome.DUPLICATE, result.reason(), retryAfterMs, limits,
                CheckResponse.Remaining.of(remaining), snapshot.minuteResetMs(), snapshot.dayResetMs(),
                snapshot.nowMs(), done.withoutRedis());
        // A denial made without Redis is the outage's doing, not the caller's: never a 429.
        int status = allowed ? 200 : done.withoutRedis() ? 503 : 429;
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body);
        if (retryAfterMs != null) {
            builder.header("Retry-After", Long.toString(ceilSeconds(retryAfterMs)));
        } else if (status == 503) {
            builder.header("Retry-After", UNAVAILABLE_RETRY_SECONDS);
        }
        if (done.withoutRedis()) {
            builder.header(WITHOUT_REDIS_HEADER, "true");
        }
        addRateLimitHeaders(builder, limits, remaining, snapshot.minuteResetMs());
        return builder.build();
    }

    static void addRateLimitHeaders(Response.ResponseBuilder builder, Limits limits,
            WindowUsage remaining, long minuteResetMs) {
        String reset = ResetDurations.format(minuteResetMs);
        long resetSeconds = ceilSeconds(minuteResetMs);
        builder.header("x-ratelimit-limit-requests", limits.requestsPerMinute())
                .header("x-ratelimit-remaining-requests", remaining.minuteRequests())
                .header("x-ratelimit-reset-requests", reset)
                .header("x-ratelimit-limit-tokens", limits.tokensPerMinute())
                .header("x-ratelimit-remaining-tokens", remaining.minuteTokens())
                .header("x-ratelimit-reset-tokens", reset)
                .header("RateLimit-Policy", "\"requests\";q=" + limits.requestsPerMinute()
                        + ";w=60, \"tokens\";q=" + limits.tokensPerMinute() + ";w=60")
                .header("RateLimit", "\"requests\";r=" + remaining.minuteRequests() + ";t=" + resetSeconds
                        + ", \"tokens\";r=" + remaining.minuteTokens() + ";t=" + resetSeconds);
    }

    static long ceilSeconds(long millis) {
        return (Math.max(0, millis) + 999) / 1000;
    }
}
