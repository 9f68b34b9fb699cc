package ai.ratelimiter.limits;

import ai.ratelimiter.windows.OutagePolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Reads and writes the per-organization rows of {@code ai_rate_limits}. Thread-safe. */
@RegisterRowMapper(LimitsDao.SettingsMapper.class)
public interface LimitsDao {

    @SqlQuery("SELECT requests_per_minute, tokens_per_minute, requests_per_day, tokens_per_day,"
            + " redis_outage_policy FROM ai_rate_limits WHERE org_id = :orgId")
    Optional<OrgSettings> find(@Bind("orgId") String orgId);

    @SqlUpdate("INSERT INTO ai_rate_limits (org_id, requests_per_minute, tokens_per_minute,"
            + " requests_per_day, tokens_per_day, redis_outage_policy, updated_at)"
            + " VALUES (:orgId, :rpm, :tpm, :rpd, :tpd, :policy, now())"
            + " ON CONFLICT (org_id) DO UPDATE SET"
            + " requests_per_minute = EXCLUDED.requests_per_minute,"
            + " tokens_per_minute = EXCLUDED.tokens_per_minute,"
            + " requests_per_day = EXCLUDED.requests_per_day,"
            + " tokens_per_day = EXCLUDED.tokens_per_day,"
            + " redis_outage_policy = EXCLUDED.redis_outage_policy, updated_at = now()")
    void save(@Bind("orgId") String orgId, @Bind("rpm") long rpm, @Bind("tpm") long tpm,
            @Bind("rpd") long rpd, @Bind("tpd") long tpd, @Bind("policy") String policy);

    @SqlUpdate("DELETE FROM ai_rate_limits WHERE org_id = :orgId")
    int delete(@Bind("orgId") String orgId);

    default void save(String orgId, OrgSettings settings) {
        Limits limits = settings.limits();
        save(orgId, limits.requestsPerMinute(), limits.tokensPerMinute(), limits.requestsPerDay(),
                limits.tokensPerDay(), settings.outagePolicyOverride().map(OutagePolicy::wireName).orElse(null));
    }

    /** Maps a row of {@code ai_rate_limits} to the organization's settings. */
    final class SettingsMapper implements RowMapper<OrgSettings> {
        @Override
        public OrgSettings map(ResultSet row, StatementContext context) throws SQLException {
            Limits limits = new Limits(row.getLong("requests_per_minute"), row.getLong("tokens_per_minute"),
                    row.getLong("requests_per_day"), row.getLong("tokens_per_day"));
            String policy = row.getString("redis_outage_policy");
            return new OrgSettings(limits, policy == null ? null : OutagePolicy.parse(policy));
        }
    }
}
