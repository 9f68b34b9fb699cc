package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.WindowSnapshot;

/** What an organization's limiter answers to a check, a usage record or a status read. */
public sealed interface LimiterReply {

    /**
     * The windows answered.
     *
     * @param result the operation's answer, or {@code null} for a status read
     * @param limits the limits the answer was computed with
     */
    record Done(String requestId, OperationResult result, Limits limits, WindowSnapshot snapshot)
            implements LimiterReply {
    }

    /** The windows could not be reached; nothing is known to have been consumed. */
    record Unavailable(String message) implements LimiterReply {
    }
}
