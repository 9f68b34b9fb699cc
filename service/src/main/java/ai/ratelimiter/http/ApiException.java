package ai.ratelimiter.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A client mistake or refusal, answered with its status and an {@link ApiError} body. */
public class ApiException extends WebApplicationException {

    public ApiException(int status, String error, String field, String message) {
        super(message, Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(error, field, message))
                .build());
    }

    /** An answer that also tells the client when to try again, such as a 503. */
    public ApiException(int status, String error, String field, String message, String retryAfterSeconds) {
        super(message, Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", retryAfterSeconds)
                .entity(ApiError.of(error, field, message))
                .build());
    }

    /** 422: the request is well-formed JSON but a field's value is not acceptable. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(422, "invalid_field", field, message);
    }

    /** 400: the request cannot be read at all, or a path parameter is malformed. */
    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "bad_request", field, message);
    }
}
