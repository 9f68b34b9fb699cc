package ai.ratelimiter.replay;

/** A call the replay cannot go on without (setting limits) failed; the message says which. */
public final class ReplayClientException extends RuntimeException {

    public ReplayClientException(String message) {
        super(message);
    }

    public ReplayClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
