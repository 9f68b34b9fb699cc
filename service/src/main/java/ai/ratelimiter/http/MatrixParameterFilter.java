package ai.ratelimiter.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses paths with matrix parameters ({@code ;name=value} inside a segment). The API has
 * none, and JAX-RS would drop them silently: {@code /v1/orgs/a;b/checks} would act on
 * organization {@code a}. The answer is 400 naming {@code orgId} when that is the segment,
 * {@code path} otherwise.
 */
@Provider
@PreMatching
public final class MatrixParameterFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String rawPath = request.getUriInfo().getRequestUri().getRawPath();
        if (rawPath == null || rawPath.indexOf(';') < 0) {
            return;
        }
        String field = JsonErrorHandler.fieldOf(rawPath) != null ? "orgId" : "path";
        throw ApiException.badRequest(field, "paths take no matrix parameters (';')");
    }
}
