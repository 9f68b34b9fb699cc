package ai.ratelimiter.testing;

import ai.ratelimiter.RateLimiterApplication;
import ai.ratelimiter.RateLimiterConfiguration;
import ai.ratelimiter.windows.ScriptClock;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.UUID;

/**
 * One running instance of the whole service on random loopback ports, configured from the
 * repository's {@code config.yml} against {@link TestServices}. Several may run at once and
 * share the same Redis and Postgres, like replicas. Each has a bootstrap admin key of its own,
 * which {@link #target(String)} sends; {@link #anonymousTarget(String)} and
 * {@link #target(String, String)} are for tests of authentication. Close it when done.
 */
public final class TestApp implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DropwizardTestSupport<RateLimiterConfiguration> support;
    private final Client client;
    private final String adminKey;

    private TestApp(ScriptClock clock, Clock wallClock, List<ConfigOverride> extra)
            throws Exception {
        TestServices services = TestServices.get();
        this.adminKey = newAdminKey();
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("server.applicationConnectors[0].port", "0");
        defaults.put("server.adminConnectors[0].port", "0");
        defaults.put("database.url", services.databaseUrl());
        defaults.put("database.user", services.databaseUser());
        defaults.put("database.password", services.databasePassword());
        defaults.put("redis.url", services.redisUrl());
        defaults.put("auth.adminKey", adminKey);
        defaults.put("logging.level", "WARN");
        // Overrides travel as system properties. Each instance reads its own prefix, so
        // instances that overlap in time cannot see (or restore) each other's values; and
        // the caller's override of a key replaces the default instead of racing it.
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        for (ConfigOverride override : extra) {
            merged.put(field(override, "key").toString(), ((Supplier<?>) field(override, "value")).get().toString());
        }
        String prefix = "dwtest" + INSTANCES.incrementAndGet() + ".";
        List<ConfigOverride> overrides = new ArrayList<>();
        merged.forEach((key, value) -> overrides.add(ConfigOverride.config(prefix, key, value)));
        this.support = new DropwizardTestSupport<>(RateLimiterApplication.class, configPath(), prefix,
                overrides.toArray(new ConfigOverride[0])) {
            @Override
            public RateLimiterApplication newApplication() {
                return new RateLimiterApplication(clock, wallClock);
            }
        };
        support.before();
        this.client = ClientBuilder.newClient();
    }

    /** Starts an instance whose window script reads {@code clock}. */
    public static TestApp start(ScriptClock clock, ConfigOverride... overrides) throws Exception {
        return new TestApp(clock, Clock.systemUTC(), List.of(overrides));
    }

    /**
     * Starts an instance whose window script reads {@code clock} and whose wall clock (usage
     * records without an instant, ends of statistics periods) is {@code wallClock}.
     */
    public static TestApp start(ScriptClock clock, Clock wallClock, ConfigOverride... overrides)
            throws Exception {
        return new TestApp(clock, wallClock, List.of(overrides));
    }

    /** Starts an instance on the Redis server clock, as in production. */
    public static TestApp start(ConfigOverride... overrides) throws Exception {
        return new TestApp(ScriptClock.REDIS_SERVER, Clock.systemUTC(), List.of(overrides));
    }

    /** An organization id no other test uses. */
    public static String newOrgId() {
        return "org-" + UUID.randomUUID();
    }

    /** A target on the application port whose requests carry the admin key unless they set one. */
    public WebTarget target(String path) {
        return target(path, adminKey);
    }

    /** A target whose requests carry {@code Authorization: Bearer key} unless they set one. */
    public WebTarget target(String path, String key) {
        return anonymousTarget(path).register(new BearerKey(key));
    }

    /** A target whose requests carry no credentials unless they set some. */
    public WebTarget anonymousTarget(String path) {
        return client.target("http://127.0.0.1:" + support.getLocalPort()).path(path);
    }

    /** This instance's bootstrap admin key. */
    public String adminKey() {
        return adminKey;
    }

    public WebTarget adminTarget(String path) {
        return client.target("http://127.0.0.1:" + support.getAdminPort()).path(path);
    }

    public int port() {
        return support.getLocalPort();
    }

    public int adminPort() {
        return support.getAdminPort();
    }

    public DropwizardTestSupport<RateLimiterConfiguration> support() {
        return support;
    }

    private static Object field(ConfigOverride override, String name) {
        try {
            Field field = override.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(override);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the " + name + " of " + override, e);
        }
    }

    private static String newAdminKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "test_" + HexFormat.of().formatHex(bytes);
    }

    private static String configPath() {
        return Path.of("..", "config.yml").toAbsolutePath().normalize().toString();
    }

    @Override
    public void close() {
        client.close();
        support.after();
    }

    /** Adds a bearer key to requests that do not carry an Authorization header of their own. */
    private record BearerKey(String key) implements ClientRequestFilter {
        @Override
        public void filter(ClientRequestContext request) {
            if (!request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
                request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + key);
            }
        }
    }
}
