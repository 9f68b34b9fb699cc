package ai.ratelimiter.windows;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The cost of one check must not grow with the entries already in the window (DESIGN 3.2).
 * Measured exactly, not by timing: the Redis commands the script runs for one call, read as
 * the change of {@code INFO commandstats}, which counts commands called from scripts too.
 */
class WindowScriptCostTest {

    private static final long RETENTION_MS = 15 * 60_000;
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final long TOKENS_PER_ENTRY = 10;
    private static final int FILL_CALLS = 10;
    private static final long FILL_SPACING_MS = 5_000;
    /** Commands that are not the script's own: the measurement itself, pool pings, the call. */
    private static final Set<String> NOT_SCRIPT_COMMANDS = Set.of("info", "ping", "evalsha", "eval",
            "script");

    private static JedisPooled redis;

    @BeforeAll
    static void connect() {
        redis = TestServices.get().newRedisClient();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Test
    void allowedCheckRunsAsManyCommandsWithTenThousandEntriesAsWithTen() {
        Limits roomy = new Limits(1_000_000, 1_000_000_000, 1_000_000, 1_000_000_000);

        long few = commandsForOneCheck(10, roomy);
        long many = commandsForOneCheck(10_000, roomy);

        assertThat(many).isEqualTo(few);
    }

    @Test
    void rpmDeniedCheckRunsAsManyCommandsWithTenThousandEntriesAsWithTen() {
        long few = commandsForOneCheck(10, new Limits(10, 1_000_000, 1_000_000, 1_000_000_000));
        long many = commandsForOneCheck(10_000,
                new Limits(10_000, 1_000_000, 1_000_000, 1_000_000_000));

        assertThat(many).isEqualTo(few);
    }

    @Test
    void tpmDeniedCheckRunsAsManyCommandsWithTenThousandEntriesAsWithTen() {
        long few = commandsForOneCheck(10, new Limits(1_000_000, 10 * TOKENS_PER_ENTRY, 1_000_000,
                1_000_000_000));
        long many = commandsForOneCheck(10_000, new Limits(1_000_000, 10_000 * TOKENS_PER_ENTRY,
                1_000_000, 1_000_000_000));

        assertThat(many).isEqualTo(few);
    }

    /**
     * Fills a fresh organization's minute window with {@code entries} live entries, spread
     * over {@link #FILL_CALLS} instants, then counts the commands of one more check.
     */
    private static long commandsForOneCheck(int entries, Limits limits) {
        String orgId = TestApp.newOrgId();
        ManualClock clock = new ManualClock(START);
        RedisWindowStore store = new RedisWindowStore(redis, clock, RETENTION_MS);
        Limits unlimited = new Limits(Limits.MAX_VALUE, Limits.MAX_VALUE, Limits.MAX_VALUE,
                Limits.MAX_VALUE);
        for (int call = 0; call < FILL_CALLS; call++) {
            List<WindowOperation> operations = new ArrayList<>();
            for (int i = call; i < entries; i += FILL_CALLS) {
                operations.add(WindowOperation.check("fill-" + i, TOKENS_PER_ENTRY));
            }
            store.apply(orgId, unlimited, operations);
            clock.advance(FILL_SPACING_MS);
        }
        Map<String, Long> before = commandCalls();

        store.apply(orgId, limits, List.of(WindowOperation.check("measured", TOKENS_PER_ENTRY)));

        return scriptCommandsBetween(before, commandCalls());
    }

    private static long scriptCommandsBetween(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            if (!NOT_SCRIPT_COMMANDS.contains(entry.getKey())) {
                total += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            }
        }
        return total;
    }

    /** Calls per command name, parsed from lines such as {@code cmdstat_zadd:calls=3,usec=...}. */
    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String counts = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(name, Long.parseLong(counts.substring(0, counts.indexOf(','))));
            }
        }
        return calls;
    }
}
