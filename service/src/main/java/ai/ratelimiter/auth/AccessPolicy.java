package ai.ratelimiter.auth;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles besides {@code admin} may call each endpoint: the one place where access is
 * declared. An endpoint without a rule is open to {@code admin} keys only, and is reported at
 * start-up, so a new endpoint is closed until someone decides who may call it. {@code org}
 * keys reach only endpoints whose path names their own organization. Immutable.
 */
public final class AccessPolicy {

    private final Map<Endpoint, Set<Role>> rules;

    private AccessPolicy(Map<Endpoint, Set<Role>> rules) {
        this.rules = Map.copyOf(rules);
    }

    /**
     * The service's policy, from issue 4: {@code service} keys check, record usage and read
     * statistics for any organization; {@code org} keys do that and read status and limits of
     * their own; only {@code admin} changes limits. Rules may name endpoints that are not built
     * yet, so they are protected the moment they are.
     */
    public static AccessPolicy standard() {
        Set<Role> anyOrganizationOrItsOwn = EnumSet.of(Role.SERVICE, Role.ORG);
        Set<Role> itsOwnOrganization = EnumSet.of(Role.ORG);
        Set<Role> adminOnly = EnumSet.noneOf(Role.class);
        Map<Endpoint, Set<Role>> rules = new LinkedHashMap<>();
        rules.put(new Endpoint("POST", "/v1/orgs/{orgId}/checks"), anyOrganizationOrItsOwn);
        rules.put(new Endpoint("POST", "/v1/orgs/{orgId}/usage"), anyOrganizationOrItsOwn);
        rules.put(new Endpoint("GET", "/v1/orgs/{orgId}/usage/stats"), anyOrganizationOrItsOwn);
        rules.put(new Endpoint("GET", "/v1/orgs/{orgId}/status"), itsOwnOrganization);
        rules.put(new Endpoint("GET", "/v1/orgs/{orgId}/limits"), itsOwnOrganization);
        rules.put(new Endpoint("PUT", "/v1/orgs/{orgId}/limits"), adminOnly);
        rules.put(new Endpoint("DELETE", "/v1/orgs/{orgId}/limits"), adminOnly);
        return new AccessPolicy(rules);
    }

    /** The roles besides {@code admin} that the endpoint's rule names; empty when it has none. */
    public Optional<Set<Role>> find(Endpoint endpoint) {
        return Optional.ofNullable(rules.get(endpoint));
    }

    public Set<Endpoint> endpoints() {
        return rules.keySet();
    }
}
