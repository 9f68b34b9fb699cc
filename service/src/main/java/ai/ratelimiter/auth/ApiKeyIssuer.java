package ai.ratelimiter.auth;

import ai.ratelimiter.http.OrganizationIds;
import java.security.SecureRandom;

/**
 * Creates API keys: generates a key, stores its hash with its role and organization, and hands
 * the key text back once. Revokes and lists keys too. Thread-safe.
 */
public final class ApiKeyIssuer {

    private static final int MAX_LABEL_LENGTH = 256;

    private final ApiKeyDao dao;
    private final SecureRandom random;

    public ApiKeyIssuer(ApiKeyDao dao, SecureRandom random) {
        this.dao = dao;
        this.random = random;
    }

    /**
     * Stores a new key. An {@code org} key needs a valid organization id; the other roles take
     * none, so that a key's reach is always what its role says.
     */
    public IssuedKey issue(Role role, String orgId, String label) {
        if (role == Role.ORG && !OrganizationIds.isValid(orgId)) {
            throw new IllegalArgumentException(
                    "an org key needs --org with 1 to 128 characters from A-Z a-z 0-9 . _ : -");
        }
        if (role != Role.ORG && orgId != null) {
            throw new IllegalArgumentException(
                    "only org keys are bound to an organization; drop --org");
        }
        if (label != null && (label.length() > MAX_LABEL_LENGTH
                || label.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("a label is at most " + MAX_LABEL_LENGTH
                    + " characters without control characters");
        }

        ApiKeyFormat.NewKey key = ApiKeyFormat.generate(random);
        dao.insert(key.id(), ApiKeyFormat.sha256(key.key()), role.externalName(), orgId, label);
        return new IssuedKey(key.id(), key.key(), role, orgId);
    }

    /** Revokes a key; false when there is no such key or it was revoked already. */
    public boolean revoke(String id) {
        return dao.revoke(id) > 0;
    }
}
