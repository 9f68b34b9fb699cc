package ai.ratelimiter.limits;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Reads and writes the per-organization rows of {@code ai_rate_limits}. Thread-safe. */
@RegisterConstructorMapper(Limits.class)
public interface LimitsDao {

    @SqlQuery("SELECT requests_per_minute, tokens_per_minute, requests_per_day, tokens_per_day"
            + " FROM ai_rate_limits WHERE org_id = :orgId")
    Optional<Limits> find(@Bind("orgId") String orgId);

    @SqlUpdate("INSERT INTO ai_rate_limits (org_id, requests_per_minute, tokens_per_minute,"
            + " requests_per_day, tokens_per_day, updated_at)"
            + " VALUES (:orgId, :rpm, :tpm, :rpd, :tpd, now())"
            + " ON CONFLICT (org_id) DO UPDATE SET requests_per_minute = EXCLUDED.requests_per_minute,"
            + " tokens_per_minute = EXCLUDED.tokens_per_minute,"
            + " requests_per_day = EXCLUDED.requests_per_day,"
            + " tokens_per_day = EXCLUDED.tokens_per_day, updated_at = now()")
    void save(@Bind("orgId") String orgId, @Bind("rpm") long rpm, @Bind("tpm") long tpm,
            @Bind("rpd") long rpd, @Bind("tpd") long tpd);

    @SqlUpdate("DELETE FROM ai_rate_limits WHERE org_id = :orgId")
    int delete(@Bind("orgId") String orgId);

    default void save(String orgId, Limits limits) {
        save(orgId, limits.requestsPerMinute(), limits.tokensPerMinute(),
                limits.requestsPerDay(), limits.tokensPerDay());
    }
}
