package ai.ratelimiter.windows;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Why a window-store call failed, so that logs and metrics tell an outage from a script bug
 * (and both from a denial, which is not a failure at all).
 */
public enum StoreFailure {
    /** Redis did not answer in time. */
    TIMEOUT,
    /** Redis could not be reached, or the connection broke. */
    CONNECTION,
    /** Redis answered with an error: the script or its arguments are wrong. */
    SCRIPT_ERROR,
    /** The circuit breaker is open: Redis was not even asked. */
    CIRCUIT_OPEN,
    /** Anything else. */
    OTHER;

    public static StoreFailure classify(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof WindowStoreException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return CIRCUIT_OPEN;
        }
        if (cause instanceof TimeoutException || isSocketTimeout(cause)) {
            return TIMEOUT;
        }
        if (cause instanceof JedisConnectionException) {
            return CONNECTION;
        }
        if (cause instanceof JedisDataException) {
            return SCRIPT_ERROR;
        }
        return OTHER;
    }

    private static boolean isSocketTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
