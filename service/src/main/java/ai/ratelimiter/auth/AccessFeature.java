package ai.ratelimiter.auth;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts authentication and the {@link AccessPolicy} in front of every resource method, not only
 * annotated ones: Dropwizard's own feature skips unannotated methods, which would leave a new
 * endpoint open. A method without a rule is reachable with an {@code admin} key only.
 */
public final class AccessFeature implements DynamicFeature {

    private static final Logger LOG = LoggerFactory.getLogger(AccessFeature.class);

    private final BearerAuthFilter authentication;
    private final AccessPolicy policy;

    public AccessFeature(BearerAuthFilter authentication, AccessPolicy policy) {
        this.authentication = authentication;
        this.policy = policy;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        Optional<Endpoint> endpoint = Endpoint.of(resource.getResourceClass(), method);
        Optional<Set<Role>> roles = endpoint.flatMap(policy::find);
        if (roles.isEmpty() && isFramework(method)) {
            LOG.debug("framework handler, admin keys only: method={}", method);
        } else if (roles.isEmpty()) {
            LOG.warn("endpoint has no access rule, admin keys only: endpoint={} method={}",
                    endpoint.map(Endpoint::toString).orElse("unknown"), method);
        }
        Set<Role> granted = roles.orElse(EnumSet.noneOf(Role.class));
        context.register(authentication, Priorities.AUTHENTICATION);
        context.register(new AccessFilter(granted), Priorities.AUTHORIZATION);
    }

    /** Jersey's generated handlers, such as OPTIONS: closed like any endpoint without a rule. */
    private static boolean isFramework(Method method) {
        return method != null
                && method.getDeclaringClass().getName().startsWith("org.glassfish.jersey.");
    }
}
