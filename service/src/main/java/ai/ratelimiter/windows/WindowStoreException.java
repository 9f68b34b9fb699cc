package ai.ratelimiter.windows;

/** The window store could not complete a call: Redis was unreachable, slow or answered oddly. */
public class WindowStoreException extends RuntimeException {

    public WindowStoreException(String message) {
        super(message);
    }

    public WindowStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
