package ai.ratelimiter.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Reads and writes {@code ai_api_keys}. Thread-safe. */
@RegisterConstructorMapper(StoredKey.class)
public interface ApiKeyDao {

    @SqlUpdate("INSERT INTO ai_api_keys (id, key_sha256, role, org_id, label, created_at)"
            + " VALUES (:id, :keySha256, :role, :orgId, :label, now())")
    void insert(@Bind("id") String id, @Bind("keySha256") byte[] keySha256,
            @Bind("role") String role, @Bind("orgId") String orgId, @Bind("label") String label);

    @SqlQuery("SELECT id, key_sha256, role, org_id, label, created_at, revoked_at"
            + " FROM ai_api_keys WHERE id = :id")
    Optional<StoredKey> find(@Bind("id") String id);

    @SqlQuery("SELECT id, key_sha256, role, org_id, label, created_at, revoked_at"
            + " FROM ai_api_keys ORDER BY created_at, id")
    List<StoredKey> list();

    /** Marks the key revoked; returns 0 when there is no such key or it was revoked already. */
    @SqlUpdate("UPDATE ai_api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
    int revoke(@Bind("id") String id);
}
