package ai.ratelimiter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exception mappers that turn every failure into a JSON {@link ApiError}: unreadable JSON, wrong
 * types and bodies cut short become 400 naming the field, framework errors keep their status,
 * and anything unexpected becomes 500 with an id that is logged once.
 */
public final class JsonErrorMappers {

    private JsonErrorMappers() {
    }

    /** Broken JSON, unknown fields and values of the wrong type. */
    public static final class JsonProcessing implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException exception) {
            // The body size bound trips inside Jackson when a body has no Content-Length, and
            // Jackson wraps it with the path it was reading: answer what the bound says.
            for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ApiException refusal) {
                    return refusal.getResponse();
                }
            }
            String field = null;
            if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                field = mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."));
            }
            String message;
            if (exception instanceof UnrecognizedPropertyException) {
                message = "unknown field";
            } else if (exception instanceof InvalidFormatException
                    || exception instanceof MismatchedInputException) {
                message = "value has the wrong type or is out of range";
            } else if (exception instanceof JsonMappingException) {
                message = "value cannot be read";
            } else {
                message = "body is not valid JSON";
            }
            return json(400, ApiError.of("bad_request", field, message));
        }
    }

    /**
     * The body broke off below JSON: a malformed chunk, a Content-Length longer than what came,
     * a client that hung up. The client's doing, so 400 and no error log.
     */
    public static final class UnreadableBody implements ExceptionMapper<IOException> {
        @Override
        public Response toResponse(IOException exception) {
            return json(400, ApiError.of("bad_request", "body", "body could not be read"));
        }
    }

    /** Framework errors such as 404, 405 and 415 keep their status with a JSON body. */
    public static final class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException exception) {
            Response original = exception.getResponse();
            if (original.hasEntity() && original.getEntity() instanceof ApiError) {
                return original;
            }
            int status = original.getStatus();
            if (status == Response.Status.UNSUPPORTED_MEDIA_TYPE.getStatusCode()) {
                // A body in another format is bad input like any other: 400 naming the header.
                return json(400, ApiError.of("unsupported_media_type", "Content-Type",
                        "Content-Type must be application/json"));
            }
            String reason = Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase()
                    : "error";
            Response.ResponseBuilder builder = Response.fromResponse(original)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(reason.replace(' ', '_'), null, reason));
            return builder.build();
        }
    }

    /** Anything else: a 500 whose id is logged with the stack trace, and nothing more. */
    public static final class Unexpected implements ExceptionMapper<Throwable> {
        private final Logger log = LoggerFactory.getLogger(Unexpected.class);

        @Override
        public Response toResponse(Throwable exception) {
            if (exception instanceof WebApplicationException web) {
                return new WebApplication().toResponse(web);
            }
            if (exception instanceof JsonProcessingException json) {
                return new JsonProcessing().toResponse(json);
            }
            if (exception instanceof IOException io) {
                return new UnreadableBody().toResponse(io);
            }
            String id = UUID.randomUUID().toString();
            log.error("unexpected error answered with 500: errorId={}", id, exception);
            return json(500, new ApiError("internal_error", null, "unexpected error", id));
        }
    }

    static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
