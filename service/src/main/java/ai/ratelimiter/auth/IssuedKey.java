package ai.ratelimiter.auth;

/**
 * A key just created: the only moment its text exists outside its holder's hands.
 *
 * @param id the public id, by which the key is listed and revoked
 * @param key the whole key text, to be shown once and never stored or logged
 * @param role what the key may do
 * @param orgId the organization of an {@code org} key, else {@code null}
 */
public record IssuedKey(String id, String key, Role role, String orgId) {

    @Override
    public String toString() {
        return "IssuedKey[id=" + id + ", role=" + role + ", orgId=" + orgId + "]";
    }
}
