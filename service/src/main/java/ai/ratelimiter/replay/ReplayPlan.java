package ai.ratelimiter.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns trace rows into the requests to send: which organization each goes to (round-robin in
 * trace order, so every organization sees the same share of every burst), when (arrival time
 * after the first row, divided by the speed-up), with what estimate, request id, model and
 * feature. Pure functions only.
 */
public final class ReplayPlan {

    // Labels for usage records: the trace has none, so a few are cycled to give statistics
    // a breakdown by model and feature.
    static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "o3-mini");
    static final List<String> FEATURES = List.of("code-completion", "chat", "code-review");

    private ReplayPlan() {
    }

    /**
     * The requests for {@code rows}, in arrival order.
     *
     * @param runToken makes request ids unique to this run, so a second run is never taken for a
     *     repeat of the first
     * @param speedup how many times faster than the trace to send, &gt; 0
     * @param estimateFactor the estimate is {@code round(actual * estimateFactor)}, &gt;= 0
     */
    public static List<PlannedRequest> create(List<TraceRow> rows, List<String> orgIds,
            String runToken, double speedup, double estimateFactor) {
        if (rows.isEmpty() || orgIds.isEmpty()) {
            return List.of();
        }
        List<PlannedRequest> plan = new ArrayList<>(rows.size());
        TraceRow first = rows.get(0);
        for (int index = 0; index < rows.size(); index++) {
            TraceRow row = rows.get(index);
            long traceNanos = Duration.between(first.arrival(), row.arrival()).toNanos();
            long dueNanos = (long) (traceNanos / speedup);
            long estimate = Math.round(row.totalTokens() * estimateFactor);
            plan.add(new PlannedRequest(index, orgIds.get(index % orgIds.size()),
                    runToken + "-" + (index + 1), dueNanos, row.inputTokens(), row.outputTokens(),
                    estimate, MODELS.get(index % MODELS.size()),
                    FEATURES.get(index / MODELS.size() % FEATURES.size())));
        }
        return List.copyOf(plan);
    }

    /** {@code prefix-01} .. {@code prefix-NN}, zero-padded so they sort in order. */
    public static List<String> organizationIds(String prefix, int count) {
        int width = Integer.toString(count).length();
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(prefix + "-" + String.format("%0" + Math.max(2, width) + "d", i));
        }
        return List.copyOf(ids);
    }
}
