package ai.ratelimiter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Jetty's error pages as {@link ApiError} JSON instead of HTML. Jetty answers by itself,
 * before any resource runs, requests it cannot or will not route: unparseable requests,
 * over-long URIs, and paths with ambiguous encodings such as {@code %2F}, {@code %25} or
 * {@code %00}. Those are bad input too, so they get the same JSON body as every other
 * error. Stateless and thread-safe.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final String ORGS_PREFIX = "/v1/orgs/";

    private final ObjectMapper mapper;

    public JsonErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowStacks(false);
    }

    /** Makes this the server's error handler when Dropwizard starts the server it built. */
    public void install(LifecycleEnvironment lifecycle) {
        lifecycle.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(JsonErrorHandler.this);
                }
            }
        });
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
            Throwable cause, Callback callback) throws IOException {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message, fieldOf(path))), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason, null));
    }

    /** The organization id when it is the part of an API path that is malformed. */
    static String fieldOf(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(ORGS_PREFIX)) {
            return null;
        }
        String rest = rawPath.substring(ORGS_PREFIX.length());
        int end = rest.indexOf('/');
        String orgId = end < 0 ? rest : rest.substring(0, end);
        return OrganizationIds.isValid(orgId) ? null : "orgId";
    }

    private byte[] body(int status, String reason, String field) {
        String phrase = reason == null || reason.isBlank() ? "request refused" : reason;
        String code = HttpStatus.getMessage(status).toLowerCase(Locale.ROOT).replace(' ', '_');
        ApiError error = ApiError.of(code, field, phrase);
        try {
            return mapper.writeValueAsString(error).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }
}
