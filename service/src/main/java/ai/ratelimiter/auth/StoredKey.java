package ai.ratelimiter.auth;

import java.time.Instant;

/**
 * One row of {@code ai_api_keys}: a key's id, the SHA-256 of the key, its role and, for
 * {@code org} keys, its organization. Never holds the key itself.
 *
 * @param id the public id that the key text carries
 * @param keySha256 SHA-256 of the whole key text
 * @param role {@code admin}, {@code service} or {@code org}
 * @param orgId the organization of an {@code org} key, else {@code null}
 * @param label a free-text note on who holds the key, or {@code null}
 * @param createdAt when the key was created
 * @param revokedAt when the key was revoked, or {@code null} while it is valid
 */
public record StoredKey(String id, byte[] keySha256, String role, String orgId, String label,
        Instant createdAt, Instant revokedAt) {

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
