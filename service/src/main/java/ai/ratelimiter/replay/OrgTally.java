package ai.ratelimiter.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the replay learned about one organization while it ran: checks sent, decisions,
 * errors, the admissions with their decision instants, and the usage records acknowledged.
 * Answers arrive on the HTTP client's threads, so every method is synchronized.
 */
public final class OrgTally {

    private final String orgId;
    private long sent;
    private long allowed;
    private long duplicates;
    private long allowedWithoutRedis;
    private final Map<String, Long> denied = new TreeMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final List<Admission> admissions = new ArrayList<>();
    private UsageTotals usageAcknowledged = UsageTotals.NONE;

    public OrgTally(String orgId) {
        this.orgId = orgId;
    }

    public String orgId() {
        return orgId;
    }

    public synchronized void recordSent() {
        sent++;
    }

    /** An allowed check that consumed from the windows. */
    public synchronized void recordAdmission(Admission admission) {
        allowed++;
        admissions.add(admission);
    }

    /** An allowed answer that repeated an earlier decision and consumed nothing. */
    public synchronized void recordDuplicate() {
        duplicates++;
    }

    /** An allowed answer from the service's outage policy: no window holds it. */
    public synchronized void recordAllowedWithoutRedis() {
        allowedWithoutRedis++;
    }

    public synchronized void recordDenied(String reason) {
        denied.merge(reason, 1L, Long::sum);
    }

    /** A call without a usable answer, by kind, for example {@code HTTP 503}. */
    public synchronized void recordError(String kind) {
        errors.merge(kind, 1L, Long::sum);
    }

    /** A usage record the service acknowledged (201, or 200 for one stored before). */
    public synchronized void recordUsage(long inputTokens, long outputTokens) {
        usageAcknowledged = usageAcknowledged.plus(inputTokens, outputTokens);
    }

    /** A consistent copy of the counts, safe to read on any thread. */
    public synchronized Counts counts() {
        long deniedTotal = denied.values().stream().mapToLong(Long::longValue).sum();
        long errorTotal = errors.values().stream().mapToLong(Long::longValue).sum();
        return new Counts(sent, allowed, duplicates, allowedWithoutRedis, deniedTotal,
                Map.copyOf(denied), errorTotal, Map.copyOf(errors), usageAcknowledged);
    }

    public synchronized List<Admission> admissions() {
        return List.copyOf(admissions);
    }

    /**
     * A snapshot of one organization's counts. Immutable.
     *
     * @param allowed checks allowed that consumed from the windows (duplicates and answers
     *     without Redis are counted apart)
     * @param allowedWithoutRedis checks the outage policy allowed while Redis was unreachable
     * @param deniedByReason denials by the service's {@code reason}
     * @param errorsByKind calls without a usable answer, checks and usage records alike
     */
    public record Counts(long sent, long allowed, long duplicates, long allowedWithoutRedis,
            long denied,
            Map<String, Long> deniedByReason, long errors, Map<String, Long> errorsByKind,
            UsageTotals usageAcknowledged) {

        public long deniedFor(String reason) {
            return deniedByReason.getOrDefault(reason, 0L);
        }
    }
}
