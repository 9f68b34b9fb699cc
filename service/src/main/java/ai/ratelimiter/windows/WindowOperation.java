package ai.ratelimiter.windows;

/**
 * One step the window script takes for an organization: a check that consumes an estimate,
 * or a usage record that replaces an estimate by the actual count.
 */
public record WindowOperation(Kind kind, String requestId, long tokens) {

    /** What the script does with the operation. */
    public enum Kind {
        CHECK("C"),
        USAGE("U");

        private final String scriptCode;

        Kind(String scriptCode) {
            this.scriptCode = scriptCode;
        }

        String scriptCode() {
            return scriptCode;
        }
    }

    public static WindowOperation check(String requestId, long estimatedTokens) {
        return new WindowOperation(Kind.CHECK, requestId, estimatedTokens);
    }

    public static WindowOperation usage(String requestId, long actualTokens) {
        return new WindowOperation(Kind.USAGE, requestId, actualTokens);
    }
}
