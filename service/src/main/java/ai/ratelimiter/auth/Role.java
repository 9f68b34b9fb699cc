package ai.ratelimiter.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. {@code ADMIN} may call every endpoint; {@code SERVICE} and
 * {@code ORG} only what {@link AccessPolicy} grants them, {@code ORG} for its own organization.
 */
public enum Role {
    ADMIN,
    SERVICE,
    ORG;

    /** The name stored in Postgres and typed on the command line. */
    public String externalName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> find(String externalName) {
        for (Role role : values()) {
            if (role.externalName().equals(externalName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
