package ai.ratelimiter.windows;

import ai.ratelimiter.limits.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The window store on Redis (standalone or cluster): one Lua script, {@code windows.lua},
 * run with EVALSHA and loaded again when a node answers NOSCRIPT. All keys of an organization
 * carry the hash tag {@code {orgId}}, so they share one cluster slot. Thread-safe: Jedis
 * pools its connections.
 */
public final class RedisWindowStore implements WindowStore {

    private static final String SCRIPT_RESOURCE = "windows.lua";
    private static final int OPERATION_REPLY_FIELDS = 7;

    private final UnifiedJedis redis;
    private final ScriptClock clock;
    private final long retentionMs;
    private final String script;
    private final String sha;

    public RedisWindowStore(UnifiedJedis redis, ScriptClock clock, long retentionMs) {
        if (retentionMs < 60_000) {
            throw new IllegalArgumentException("retention must be at least one minute");
        }
        this.redis = redis;
        this.clock = clock;
        this.retentionMs = retentionMs;
        this.script = readScript();
        this.sha = sha1Hex(script);
    }

    /** The Redis keys of one organization, in the order the script expects them. */
    public static List<String> keysOf(String orgId) {
        String prefix = "rl:{" + orgId + "}:";
        return List.of(prefix + "w", prefix + "t", prefix + "s", prefix + "sec");
    }

    @Override
    public BatchResult apply(String orgId, Limits limits, List<WindowOperation> operations) {
        List<String> keys = keysOf(orgId);
        List<String> args = arguments(limits, operations);
        Object reply;
        try {
            reply = evalsha(keys, args);
        } catch (JedisException e) {
            throw new WindowStoreException("window script failed for orgId=" + orgId, e);
        }
        return parse(reply, operations.size());
    }

    @Override
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(redis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private Object evalsha(List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            // The node restarted or flushed its scripts: load it there once and try again.
            redis.scriptLoad(script, keys.get(0));
            return redis.evalsha(sha, keys, args);
        }
    }

    private List<String> arguments(Limits limits, List<WindowOperation> operations) {
        List<String> args = new ArrayList<>(7 + operations.size() * 3);
        args.add(clock.scriptArgument());
        args.add(Long.toString(limits.requestsPerMinute()));
        args.add(Long.toString(limits.tokensPerMinute()));
        args.add(Long.toString(limits.requestsPerDay()));
        args.add(Long.toString(limits.tokensPerDay()));
        args.add(Long.toString(retentionMs));
        args.add(Integer.toString(operations.size()));
        for (WindowOperation operation : operations) {
            args.add(operation.kind().scriptCode());
            args.add(operation.requestId());
            args.add(Long.toString(operation.tokens()));
        }
        return args;
    }

    private static BatchResult parse(Object reply, int operationCount) {
        if (!(reply instanceof List<?> rows) || rows.size() != operationCount + 1) {
            throw new WindowStoreException("unexpected reply from window script: " + reply);
        }
        List<OperationResult> results = new ArrayList<>(operationCount);
        for (int i = 0; i < operationCount; i++) {
            List<?> row = (List<?>) rows.get(i);
            if (row.size() != OPERATION_REPLY_FIELDS) {
                throw new WindowStoreException("unexpected operation reply: " + row);
            }
            results.add(new OperationResult(
                    Outcome.fromScriptCode(number(row, 0)),
                    Reason.fromScriptCode(number(row, 1)),
                    number(row, 2),
                    new WindowUsage(number(row, 3), number(row, 4), number(row, 5), number(row, 6))));
        }
        List<?> summary = (List<?>) rows.get(operationCount);
        WindowSnapshot snapshot = new WindowSnapshot(
                number(summary, 0),
                new WindowUsage(number(summary, 1), number(summary, 2), number(summary, 3),
                        number(summary, 4)),
                number(summary, 5),
                number(summary, 6));
        return new BatchResult(results, snapshot);
    }

    private static long number(List<?> row, int index) {
        Object value = row.get(index);
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof byte[] bytes) {
            return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
        }
        if (value instanceof String s) {
            return Long.parseLong(s);
        }
        throw new WindowStoreException("unexpected value in script reply: " + value);
    }

    private static String readScript() {
        try (InputStream in = RedisWindowStore.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SCRIPT_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCRIPT_RESOURCE, e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
