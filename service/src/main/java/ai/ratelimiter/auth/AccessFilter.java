package ai.ratelimiter.auth;

import ai.ratelimiter.http.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.security.Principal;
import java.util.Set;

/**
 * Lets an authenticated caller through to one endpoint only if the policy grants its role,
 * and an {@code org} key only for the organization in the path; otherwise answers 403. Runs
 * after {@link BearerAuthFilter}. Immutable.
 */
final class AccessFilter implements ContainerRequestFilter {

    private final Set<Role> roles;

    AccessFilter(Set<Role> roles) {
        this.roles = Set.copyOf(roles);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Principal principal = request.getSecurityContext().getUserPrincipal();
        if (!(principal instanceof Caller caller)) {
            // Only reachable if the authentication filter was not bound: refuse, never pass.
            throw new ApiException(403, "forbidden", null, "no authenticated caller");
        }
        if (caller.isAdmin()) {
            return;
        }
        if (!roles.contains(caller.role())) {
            throw new ApiException(403, "forbidden", null,
                    "a " + caller.role().externalName() + " key may not call this endpoint");
        }
        if (caller.role() == Role.ORG) {
            String orgId = request.getUriInfo().getPathParameters().getFirst("orgId");
            if (!caller.orgId().equals(orgId)) {
                throw new ApiException(403, "forbidden", "orgId",
                        "this key belongs to another organization");
            }
        }
    }
}
