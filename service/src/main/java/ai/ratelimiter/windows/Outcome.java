package ai.ratelimiter.windows;

/** What the window script did with one operation. */
public enum Outcome {
    /** The check was denied; nothing was consumed. */
    DENIED,
    /** The check was allowed and consumed from every window. */
    ALLOWED,
    /** The request id was already allowed within the minute window; nothing was consumed. */
    DUPLICATE,
    /** A usage record replaced its check's estimate by the actual count. */
    RECONCILED,
    /** A usage record without a known check was counted as of now. */
    COUNTED;

    static Outcome fromScriptCode(long code) {
        return switch ((int) code) {
            case 0 -> DENIED;
            case 1 -> ALLOWED;
            case 2 -> DUPLICATE;
            case 3 -> RECONCILED;
            case 4 -> COUNTED;
            default -> throw new WindowStoreException("unknown outcome code from script: " + code);
        };
    }
}
