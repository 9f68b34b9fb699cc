package ai.ratelimiter.bench;

import ai.ratelimiter.replay.TraceReader;
import ai.ratelimiter.replay.TraceRow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Replays a shared LLM request trace against the service at its own arrival pattern,
 * compressed to fit the scenario's duration, spread round-robin over 20 organizations with
 * the default limits.
 */
final class TraceReplay {

    private static final int ORGANIZATIONS = 20;

    private TraceReplay() {
    }

    static LoadResult run(LoadGenerator load, Path trace, Duration duration) throws IOException, InterruptedException {
        List<TraceRow> rows = new TraceReader().read(trace, Integer.MAX_VALUE);
        long spanNanos = Math.max(1, Duration.between(rows.get(0).arrival(), rows.get(rows.size() - 1).arrival())
                .toNanos());
        double compression = (double) spanNanos / duration.toNanos();
        long[] offsets = new long[rows.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (long) (Duration.between(rows.get(0).arrival(), rows.get(i).arrival()).toNanos() / compression);
        }
        String prefix = "bench-trace-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String name = String.format(Locale.ROOT, "ours: %s x%.0f, %d orgs", trace.getFileName(), compression,
                ORGANIZATIONS);
        return load.scheduled(name, "/v1/orgs/{orgId}/checks", offsets, n -> new LoadGenerator.Check(
                prefix + (n % ORGANIZATIONS), "{\"estimatedTokens\":" + rows.get((int) n).totalTokens() + "}"));
    }
}
