package ai.ratelimiter.bench;

import ai.ratelimiter.replay.Admission;
import ai.ratelimiter.replay.WindowMaxima;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives checks over HTTP from this process: closed loop (each of N clients sends its next
 * check when the previous one is answered) or open loop (checks sent on a fixed schedule,
 * latency counted from the scheduled instant so that a stall is not hidden). Allowed
 * decisions are kept per organization to find the largest count admitted in any minute.
 */
final class LoadGenerator {

    /** What to send as the n-th check. */
    record Check(String orgId, String body) {
    }

    /** Sent after an allowed check, if the scenario records usage. */
    interface AfterAllowed {
        CompletableFuture<?> send(HttpClient client, Check check);
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4))
            .build();
    private final String baseUrl;
    private final String authorization;

    LoadGenerator(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.authorization = "Bearer " + apiKey;
    }

    HttpClient client() {
        return client;
    }

    LoadResult closedLoop(String name, String path, int clients, Duration duration, LongFunction<Check> plan,
            AfterAllowed afterAllowed) throws InterruptedException {
        Run run = new Run(path, plan, afterAllowed);
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        long started = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            run.loop(deadline, done);
        }
        done.await();
        return run.result(name, clients, (System.nanoTime() - started) / 1e9);
    }

    LoadResult openLoop(String name, String path, double perSecond, Duration duration, LongFunction<Check> plan)
            throws InterruptedException {
        long intervalNanos = (long) (1e9 / perSecond);
        long[] offsets = new long[(int) (perSecond * duration.toSeconds())];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i * intervalNanos;
        }
        return scheduled(name, path, offsets, plan);
    }

    /** Sends the n-th check at {@code offsetsNanos[n]} after the start, whatever the answers. */
    LoadResult scheduled(String name, String path, long[] offsetsNanos, LongFunction<Check> plan)
            throws InterruptedException {
        Run run = new Run(path, plan, null);
        CountDownLatch done = new CountDownLatch(offsetsNanos.length);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long started = System.nanoTime();
        for (long offset : offsetsNanos) {
            ticker.schedule(() -> run.send(started + offset).whenComplete((ignored, failure) -> done.countDown()),
                    offset, TimeUnit.NANOSECONDS);
        }
        long lastOffset = offsetsNanos.length == 0 ? 0 : offsetsNanos[offsetsNanos.length - 1];
        done.await(lastOffset / 1_000_000_000L + 30, TimeUnit.SECONDS);
        ticker.shutdownNow();
        return run.result(name, 0, (System.nanoTime() - started) / 1e9);
    }

    private final class Run {
        private final String path;
        private final LongFunction<Check> plan;
        private final AfterAllowed afterAllowed;
        private final Recorder latency = new Recorder(3);
        private final AtomicLong sequence = new AtomicLong();
        private final LongAdder allowed = new LongAdder();
        private final LongAdder denied = new LongAdder();
        private final LongAdder other = new LongAdder();
        private final Map<String, LongAdder> otherByStatus = new ConcurrentHashMap<>();
        private final Map<String, Instants> admitted = new ConcurrentHashMap<>();

        Run(String path, LongFunction<Check> plan, AfterAllowed afterAllowed) {
            this.path = path;
            this.plan = plan;
            this.afterAllowed = afterAllowed;
        }

        void loop(long deadline, CountDownLatch done) {
            if (System.nanoTime() >= deadline) {
                done.countDown();
                return;
            }
            send(System.nanoTime()).whenComplete((ignored, failure) -> loop(deadline, done));
        }

        CompletableFuture<?> send(long intendedNanos) {
            Check check = plan.apply(sequence.getAndIncrement());
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path.replace("{orgId}", check.orgId())))
                    .header("Content-Type", "application/json")
                    .header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(check.body()))
                    .build();
            return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        latency.recordValue(Math.max(1, (System.nanoTime() - intendedNanos) / 1000));
                        if (failure != null) {
                            other.increment();
                            countOther("error " + failure.getClass().getSimpleName());
                            return null;
                        }
                        return record(check, response);
                    })
                    .thenCompose(next -> next == null ? CompletableFuture.completedFuture(null) : next);
        }

        private CompletableFuture<?> record(Check check, HttpResponse<String> response) {
            if (response.statusCode() == 200 && response.body().contains("\"decidedWithoutRedis\":true")) {
                // Admitted by the outage policy, not by the windows: not part of their count.
                other.increment();
                countOther("200 without redis");
                return null;
            }
            if (response.statusCode() == 200) {
                allowed.increment();
                long decidedAt = decidedAtMs(response.body());
                if (decidedAt > 0) {
                    admitted.computeIfAbsent(check.orgId(), id -> new Instants()).add(decidedAt);
                }
                return afterAllowed == null ? null : afterAllowed.send(client, check);
            }
            if (response.statusCode() == 429) {
                denied.increment();
            } else {
                other.increment();
                countOther(Integer.toString(response.statusCode()));
            }
            return null;
        }

        private void countOther(String kind) {
            otherByStatus.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        LoadResult result(String name, int clients, double seconds) {
            Histogram histogram = latency.getIntervalHistogram();
            long maxInWindow = 0;
            for (Instants instants : new HashMap<>(admitted).values()) {
                maxInWindow = Math.max(maxInWindow, instants.largestInAnyMinute());
            }
            Map<String, Long> others = new java.util.TreeMap<>();
            otherByStatus.forEach((kind, count) -> others.put(kind, count.sum()));
            return new LoadResult(name, clients, seconds, histogram.getTotalCount(), allowed.sum(), denied.sum(),
                    other.sum(), others, histogram, maxInWindow);
        }
    }

    static long decidedAtMs(String body) {
        int at = body.indexOf("\"decidedAtMs\":");
        if (at < 0) {
            return -1;
        }
        int start = at + "\"decidedAtMs\":".length();
        int end = start;
        while (end < body.length() && Character.isDigit(body.charAt(end))) {
            end++;
        }
        return end == start ? -1 : Long.parseLong(body.substring(start, end));
    }

    /** Decision instants of one organization; appended to from response threads. */
    private static final class Instants {
        private long[] values = new long[1024];
        private int count;

        synchronized void add(long value) {
            if (count == values.length) {
                values = java.util.Arrays.copyOf(values, count * 2);
            }
            values[count++] = value;
        }

        synchronized long largestInAnyMinute() {
            List<Admission> admissions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                admissions.add(new Admission(values[i], 0, 0));
            }
            return WindowMaxima.minute(admissions, Admission::countedTokens).requests();
        }
    }
}
