package ai.ratelimiter.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error answer.
 *
 * @param error a stable machine-readable code, such as {@code invalid_field}
 * @param field the offending request field or path parameter, when there is one
 * @param message what is wrong, for a person
 * @param id the id under which an unexpected error was logged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String message, String id) {

    public static ApiError of(String error, String field, String message) {
        return new ApiError(error, field, message, null);
    }
}
