package ai.ratelimiter.auth;

import java.util.Optional;
import org.jdbi.v3.core.JdbiException;

/**
 * Turns a bearer credential into a {@link Caller}: the bootstrap admin key of the configuration,
 * or a stored key looked up by its id and compared by hash. Both comparisons take constant time
 * in the content of the key. Keys are never logged. Thread-safe; each call may read Postgres,
 * which is why the application wraps it in a short-lived cache.
 */
public final class ApiKeyAuthenticator implements io.dropwizard.auth.Authenticator<String, Caller> {

    private final ApiKeyDao dao;
    private final byte[] adminKeySha256;

    /**
     * @param adminKey the bootstrap admin key, or empty for none
     */
    public ApiKeyAuthenticator(ApiKeyDao dao, Optional<String> adminKey) {
        this.dao = dao;
        this.adminKeySha256 = adminKey.map(ApiKeyFormat::sha256).orElse(null);
    }

    @Override
    public Optional<Caller> authenticate(String credentials) {
        if (credentials == null || credentials.length() > ApiKeyFormat.MAX_LENGTH) {
            return Optional.empty();
        }
        // Hashing first makes both comparisons equal-length, so neither leaks a length or prefix.
        byte[] presented = ApiKeyFormat.sha256(credentials);
        if (adminKeySha256 != null && ApiKeyFormat.sameHash(adminKeySha256, presented)) {
            return Optional.of(Caller.BOOTSTRAP_ADMIN);
        }

        Optional<String> id = ApiKeyFormat.findId(credentials);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return loadKey(id.get())
                .filter(stored -> !stored.isRevoked())
                .filter(stored -> ApiKeyFormat.sameHash(stored.keySha256(), presented))
                .flatMap(ApiKeyAuthenticator::toCaller);
    }

    private Optional<StoredKey> loadKey(String id) {
        try {
            return dao.find(id);
        } catch (JdbiException e) {
            throw new KeyStoreUnavailableException(e);
        }
    }

    private static Optional<Caller> toCaller(StoredKey stored) {
        return Role.find(stored.role()).map(role -> new Caller(stored.id(), role, stored.orgId()));
    }
}
