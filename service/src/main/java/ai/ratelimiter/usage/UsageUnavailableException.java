package ai.ratelimiter.usage;

/**
 * A usage record could not be stored now (queue full, database failure, shutting down):
 * nothing of it was stored, and the client may retry with the same request id.
 */
public final class UsageUnavailableException extends RuntimeException {

    public UsageUnavailableException(String message) {
        super(message);
    }

    public UsageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
