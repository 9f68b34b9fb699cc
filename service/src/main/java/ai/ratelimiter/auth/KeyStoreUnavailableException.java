package ai.ratelimiter.auth;

import ai.ratelimiter.http.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Postgres could not be asked about a key that is not in the cache: the caller gets 503 with
 * Retry-After, since the key may well be valid and a 401 would tell it to give up.
 */
public final class KeyStoreUnavailableException extends WebApplicationException {

    private static final int RETRY_AFTER_SECONDS = 1;

    public KeyStoreUnavailableException(Throwable cause) {
        super("API keys cannot be verified now", cause, Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(ApiError.of("key_store_unavailable", null,
                        "API keys cannot be verified now; retry"))
                .build());
    }
}
