package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.WindowSnapshot;

/** What an organization's limiter answers to a check, a usage record or a status read. */
public sealed interface LimiterReply {

    /**
     * A decision or a reading.
     *
     * @param result the operation's answer, or {@code null} for a status read
     * @param limits the limits the answer was computed with
     * @param withoutRedis the answer came from the Redis outage policy, not from Redis
     */
    record Done(String requestId, OperationResult result, Limits limits, WindowSnapshot snapshot,
            boolean withoutRedis) implements LimiterReply {
    }

    /** No decision could be made (Redis unreachable under the deny policy, or overload). */
    record Unavailable(String message) implements LimiterReply {
    }
}
