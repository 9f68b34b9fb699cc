package ai.ratelimiter.replay;

import java.util.UUID;

/** Random tokens that keep one replay's organization and request ids apart from another's. */
final class RunTokens {

    private RunTokens() {
    }

    /** Twelve lower-case hex digits. */
    static String next() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
