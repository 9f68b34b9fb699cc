package ai.ratelimiter.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes batches of usage records to {@code ai_usage} and their sums to {@code ai_usage_hourly}
 * in one transaction each, and tells for every record whether it was stored now, stored before
 * with the same content, or stored before with different content. Thread-safe: each call takes
 * its own connection.
 *
 * <p>Idempotency rests on the unique key (org_id, request_id): a record is inserted with
 * {@code ON CONFLICT DO NOTHING}, and the batch's update count says whether that row is new.
 * A concurrent insert of the same key in another transaction makes Postgres wait for that
 * transaction, so exactly one of them stores the row, on any number of replicas. The counts
 * are exact only while the JDBC URL does not set {@code reWriteBatchedInserts}.
 */
public final class UsageStore {

    private static final String INSERT_RECORD = "INSERT INTO ai_usage (org_id, request_id,"
            + " user_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, model,"
            + " provider, feature_type, entity_type, entity_id, duration_ms, occurred_at)"
            + " VALUES (:orgId, :requestId, :userId, :inputTokens, :outputTokens, :cacheReadTokens,"
            + " :cacheWriteTokens, :model, :provider, :featureType, :entityType, :entityId,"
            + " :durationMs, :occurredAt)"
            + " ON CONFLICT (org_id, request_id) DO NOTHING";

    private static final String ADD_HOURLY = "INSERT INTO ai_usage_hourly (org_id, dimension,"
            + " hour_start, dim_key, requests, input_tokens, output_tokens, cache_read_tokens,"
            + " cache_write_tokens)"
            + " VALUES (:orgId, :dimension, :hourStart, :key, :requests, :inputTokens,"
            + " :outputTokens, :cacheReadTokens, :cacheWriteTokens)"
            + " ON CONFLICT (org_id, dimension, hour_start, dim_key) DO UPDATE SET"
            + " requests = ai_usage_hourly.requests + EXCLUDED.requests,"
            + " input_tokens = ai_usage_hourly.input_tokens + EXCLUDED.input_tokens,"
            + " output_tokens = ai_usage_hourly.output_tokens + EXCLUDED.output_tokens,"
            + " cache_read_tokens = ai_usage_hourly.cache_read_tokens"
            + " + EXCLUDED.cache_read_tokens,"
            + " cache_write_tokens = ai_usage_hourly.cache_write_tokens"
            + " + EXCLUDED.cache_write_tokens";

    private static final String FIND_STORED = "SELECT u.org_id, u.request_id, u.user_id,"
            + " u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens,"
            + " u.model, u.provider, u.feature_type, u.entity_type, u.entity_id, u.duration_ms,"
            + " u.occurred_at"
            + " FROM ai_usage u"
            + " JOIN unnest(:orgIds, :requestIds) AS k(org_id, request_id)"
            + " ON u.org_id = k.org_id AND u.request_id = k.request_id";

    private final Jdbi jdbi;

    public UsageStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores {@code batch} in one transaction and answers one outcome per record, in order.
     * Either all of it commits or, when this throws, none of it does. The transaction runs at
     * the database's default isolation (Postgres: read committed): naming the level would cost
     * two more round trips per batch, to set it and to restore it. Under a stricter default a
     * concurrent repeat fails with a serialization error, which the writer retries.
     */
    public List<WriteOutcome> write(List<IncomingUsage> batch) {
        return jdbi.inTransaction(handle -> write(handle, batch));
    }

    private List<WriteOutcome> write(Handle handle, List<IncomingUsage> batch) {
        List<Integer> order = keyOrder(batch);
        int[] counts = insertRecords(handle, batch, order);

        WriteOutcome[] outcomes = new WriteOutcome[batch.size()];
        List<UsageRecord> created = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            int index = order.get(i);
            if (counts[i] == 1) {
                UsageRecord record = batch.get(index).record();
                created.add(record);
                outcomes[index] = WriteOutcome.created(record);
            } else if (counts[i] == 0) {
                repeats.add(index);
            } else {
                throw new IllegalStateException("insert answered no row count (" + counts[i]
                        + "); remove reWriteBatchedInserts from the database URL");
            }
        }

        if (!repeats.isEmpty()) {
            compareWithStored(handle, batch, repeats, outcomes);
        }
        addHourly(handle, HourlyTotal.of(created));
        return List.of(outcomes);
    }

    /**
     * Indexes of {@code batch} sorted by (org, request id), arrival order kept among equal
     * keys so that the first of two records with one key is the one stored.
     */
    private static List<Integer> keyOrder(List<IncomingUsage> batch) {
        List<Integer> order = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> batch.get(i).record().orgId())
                .thenComparing(i -> batch.get(i).record().requestId()));
        return order;
    }

    private static int[] insertRecords(Handle handle, List<IncomingUsage> batch,
            List<Integer> order) {
        PreparedBatch insert = handle.prepareBatch(INSERT_RECORD);
        for (int index : order) {
            UsageRecord record = batch.get(index).record();
            insert.bind("orgId", record.orgId())
                    .bind("requestId", record.requestId())
                    .bind("userId", record.userId())
                    .bind("inputTokens", record.inputTokens())
                    .bind("outputTokens", record.outputTokens())
                    .bind("cacheReadTokens", record.cacheReadTokens())
                    .bind("cacheWriteTokens", record.cacheWriteTokens())
                    .bind("model", record.model())
                    .bind("provider", record.provider())
                    .bind("featureType", record.featureType())
                    .bind("entityType", record.entityType())
                    .bind("entityId", record.entityId())
                    .bind("durationMs", record.durationMs())
                    .bind("occurredAt", utc(record.occurredAt()))
                    .add();
        }
        return insert.execute();
    }

    /** Reads the stored rows of request ids that were already taken and judges each repeat. */
    private static void compareWithStored(Handle handle, List<IncomingUsage> batch,
            List<Integer> repeats, WriteOutcome[] outcomes) {
        List<String> orgIds = new ArrayList<>(repeats.size());
        List<String> requestIds = new ArrayList<>(repeats.size());
        for (int index : repeats) {
            orgIds.add(batch.get(index).record().orgId());
            requestIds.add(batch.get(index).record().requestId());
        }
        Map<List<String>, UsageRecord> stored = new HashMap<>();
        handle.createQuery(FIND_STORED)
                .bindArray("orgIds", String.class, orgIds)
                .bindArray("requestIds", String.class, requestIds)
                .map((rs, ctx) -> readRecord(rs))
                .forEach(record -> stored.put(List.of(record.orgId(), record.requestId()), record));

        for (int index : repeats) {
            IncomingUsage incoming = batch.get(index);
            UsageRecord record = incoming.record();
            UsageRecord earlier = stored.get(List.of(record.orgId(), record.requestId()));
            if (earlier == null) {
                // The row that blocked the insert must be visible to a statement started after it.
                throw new IllegalStateException("usage row vanished after a conflicting insert");
            }
            outcomes[index] = record.sameContentAs(earlier, incoming.occurredAtGiven())
                    ? WriteOutcome.repeated(earlier)
                    : WriteOutcome.conflict(earlier);
        }
    }

    private static void addHourly(Handle handle, List<HourlyTotal> totals) {
        if (totals.isEmpty()) {
            return;
        }
        PreparedBatch upsert = handle.prepareBatch(ADD_HOURLY);
        for (HourlyTotal total : totals) {
            upsert.bind("orgId", total.orgId())
                    .bind("dimension", total.dimension().code())
                    .bind("hourStart", utc(total.hourStart()))
                    .bind("key", total.key())
                    .bind("requests", total.requests())
                    .bind("inputTokens", total.inputTokens())
                    .bind("outputTokens", total.outputTokens())
                    .bind("cacheReadTokens", total.cacheReadTokens())
                    .bind("cacheWriteTokens", total.cacheWriteTokens())
                    .add();
        }
        upsert.execute();
    }

    static UsageRecord readRecord(ResultSet rs) throws SQLException {
        long durationMs = rs.getLong("duration_ms");
        Long duration = rs.wasNull() ? null : durationMs;
        return new UsageRecord(rs.getString("org_id"), rs.getString("request_id"),
                rs.getString("user_id"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"),
                rs.getString("model"), rs.getString("provider"), rs.getString("feature_type"),
                rs.getString("entity_type"), rs.getString("entity_id"), duration,
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
