package ai.ratelimiter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Replays a shared LLM request trace (CSV: TIMESTAMP,ContextTokens,GeneratedTokens) against
 * the service at its own arrival pattern, compressed to fit the scenario's duration, spread
 * round-robin over 20 organizations with the default limits.
 */
final class TraceReplay {

    private static final int ORGANIZATIONS = 20;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");

    private TraceReplay() {
    }

    static LoadResult run(LoadGenerator load, Path trace, Duration duration) throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(trace);
        List<LocalDateTime> arrivals = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split(",");
            if (fields.length == 3) {
                arrivals.add(LocalDateTime.parse(fields[0], TIMESTAMP));
                tokens.add(Long.parseLong(fields[1]) + Long.parseLong(fields[2]));
            }
        }
        long spanNanos = Math.max(1, ChronoUnit.NANOS.between(arrivals.get(0), arrivals.get(arrivals.size() - 1)));
        double compression = (double) spanNanos / duration.toNanos();
        long[] offsets = new long[arrivals.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (long) (ChronoUnit.NANOS.between(arrivals.get(0), arrivals.get(i)) / compression);
        }
        String prefix = "bench-trace-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String name = String.format(java.util.Locale.ROOT, "ours: %s x%.0f, %d orgs", trace.getFileName(),
                compression, ORGANIZATIONS);
        return load.scheduled(name, "/v1/orgs/{orgId}/checks", offsets, n -> new LoadGenerator.Check(
                prefix + (n % ORGANIZATIONS), "{\"estimatedTokens\":" + tokens.get((int) n) + "}"));
    }
}
