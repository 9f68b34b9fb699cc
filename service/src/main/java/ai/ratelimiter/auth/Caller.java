package ai.ratelimiter.auth;

import java.security.Principal;

/**
 * Who sent a request, as its API key says: the key's id (never its secret), role and, for an
 * {@link Role#ORG} key, the one organization it is bound to. Immutable.
 *
 * @param keyId the stored key's id, or {@code bootstrap} for the configured admin key
 * @param role what the key may do
 * @param orgId the organization of an {@code ORG} key; {@code null} for the other roles
 */
public record Caller(String keyId, Role role, String orgId) implements Principal {

    /** The caller holding the bootstrap admin key of the configuration. */
    public static final Caller BOOTSTRAP_ADMIN = new Caller("bootstrap", Role.ADMIN, null);

    public Caller {
        if ((role == Role.ORG) != (orgId != null)) {
            throw new IllegalArgumentException(
                    "an org key has an organization and no other key has one");
        }
    }

    /** The name the request log shows: the key's id, which is not secret. */
    @Override
    public String getName() {
        return "key:" + keyId;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
