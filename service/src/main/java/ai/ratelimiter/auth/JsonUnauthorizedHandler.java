package ai.ratelimiter.auth;

import ai.ratelimiter.http.ApiError;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Answers 401 with a bearer challenge and the service's JSON error body. Stateless. */
final class JsonUnauthorizedHandler implements UnauthorizedHandler {

    @Override
    public Response buildResponse(String prefix, String realm) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of("unauthorized", HttpHeaders.AUTHORIZATION,
                        "a valid API key is required as Authorization: Bearer <key>"))
                .build();
    }
}
