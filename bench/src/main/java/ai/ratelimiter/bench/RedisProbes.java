package ai.ratelimiter.bench;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.RedisWindowStore;
import ai.ratelimiter.windows.ScriptClock;
import ai.ratelimiter.windows.WindowOperation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * Measurements taken on Redis directly with the service's own window script: the ceiling of
 * raw EVALSHA throughput, the server-side cost of one check as the window fills, and the
 * memory one organization's windows take.
 */
final class RedisProbes {

    private static final Limits OPEN = new Limits(Limits.MAX_VALUE, Limits.MAX_VALUE, Limits.MAX_VALUE,
            Limits.MAX_VALUE);
    private static final long RETENTION_MS = 300_000;

    private final JedisPooled redis;

    RedisProbes(JedisPooled redis) {
        this.redis = redis;
    }

    /** EVALSHA calls per second of one check each, from {@code threads} client threads. */
    double rawEvalshaPerSecond(int threads, long durationMs) throws Exception {
        RedisWindowStore store = new RedisWindowStore(redis, ScriptClock.REDIS_SERVER, RETENTION_MS);
        AtomicLong calls = new AtomicLong();
        long deadline = System.nanoTime() + durationMs * 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            String orgId = "bench-raw-" + t + "-" + UUID.randomUUID();
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    store.apply(orgId, OPEN, List.of(WindowOperation.check(UUID.randomUUID().toString(), 10)));
                    calls.incrementAndGet();
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return calls.get() / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * Server-side microseconds per EVALSHA of one check into a window that already holds
     * {@code entries} live entries, from Redis's own command statistics.
     */
    double usecPerCheck(int entries, int samples) {
        long[] now = {System.currentTimeMillis()};
        RedisWindowStore store = new RedisWindowStore(redis, () -> Long.toString(now[0]), RETENTION_MS);
        String orgId = "bench-cost-" + entries + "-" + UUID.randomUUID();
        for (int filled = 0; filled < entries; filled += 1000) {
            List<WindowOperation> batch = new ArrayList<>();
            for (int i = filled; i < Math.min(entries, filled + 1000); i++) {
                batch.add(WindowOperation.check("fill-" + i, 1));
            }
            store.apply(orgId, OPEN, batch);
        }
        redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        for (int i = 0; i < samples; i++) {
            now[0]++;
            store.apply(orgId, OPEN, List.of(WindowOperation.check("sample-" + i, 1)));
        }
        return evalshaUsecPerCall();
    }

    /**
     * Bytes of Redis memory per organization whose windows hold {@code entries} entries
     * spread over the last {@code spanMs}, measured over {@code organizations} of them.
     */
    long bytesPerOrganization(int organizations, int entries, long spanMs) {
        long end = System.currentTimeMillis();
        long[] now = {end - spanMs};
        RedisWindowStore store = new RedisWindowStore(redis, () -> Long.toString(now[0]), RETENTION_MS);
        long before = usedMemory();
        for (int org = 0; org < organizations; org++) {
            String orgId = "bench-mem-" + org + "-" + UUID.randomUUID();
            for (int i = 0; i < entries; i++) {
                now[0] = end - spanMs + (spanMs * i) / entries;
                store.apply(orgId, OPEN, List.of(WindowOperation.check(UUID.randomUUID().toString(), 1500)));
            }
        }
        return (usedMemory() - before) / organizations;
    }

    private long usedMemory() {
        return Long.parseLong(infoField(info("memory"), "used_memory"));
    }

    private double evalshaUsecPerCall() {
        String stats = info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (part.startsWith("usec_per_call=")) {
                        return Double.parseDouble(part.substring("usec_per_call=".length()));
                    }
                }
            }
        }
        throw new IllegalStateException("no evalsha statistics in INFO commandstats");
    }

    private String info(String section) {
        Object reply = redis.sendCommand(Protocol.Command.INFO, section);
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + field + " in INFO");
    }
}
