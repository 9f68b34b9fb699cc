package ai.ratelimiter.windows;

/** Why a check was denied. */
public enum Reason {
    RATE_LIMIT_RPM,
    RATE_LIMIT_TPM,
    RATE_LIMIT_DAILY_REQUESTS,
    RATE_LIMIT_DAILY_TOKENS,
    /** The estimate exceeds the whole per-minute or per-day token limit: waiting cannot help. */
    REQUEST_TOO_LARGE;

    static Reason fromScriptCode(long code) {
        return switch ((int) code) {
            case 0 -> null;
            case 1 -> RATE_LIMIT_RPM;
            case 2 -> RATE_LIMIT_TPM;
            case 3 -> RATE_LIMIT_DAILY_REQUESTS;
            case 4 -> RATE_LIMIT_DAILY_TOKENS;
            case 5 -> REQUEST_TOO_LARGE;
            default -> throw new WindowStoreException("unknown reason code from script: " + code);
        };
    }
}
