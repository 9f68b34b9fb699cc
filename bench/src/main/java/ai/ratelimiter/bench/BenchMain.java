package ai.ratelimiter.bench;

import ai.ratelimiter.embedded.EmbeddedServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.JedisPooled;

/**
 * Runs the benchmark: starts Redis and Postgres (embedded, or the ones given), the service and
 * the baselines as separate processes on loopback, drives them over HTTP from this process,
 * and prints one table with the ratios the targets are stated in.
 *
 * <p>Options: {@code --seconds N} per scenario (default 15), {@code --redis-url URL},
 * {@code --database-url JDBC --database-user U --database-password P}, {@code --trace CSV}.
 */
public final class BenchMain {

    private static final String OURS = "/v1/orgs/{orgId}/checks";
    private static final String FLOOR = "/floor/v1/orgs/{orgId}/checks";
    private static final String NAIVE = "/naive/v1/orgs/{orgId}/checks";
    private static final int HOT_CLIENTS = 64;
    private static final int EXACT_LIMIT = 1000;

    private final Map<String, String> options;
    private final List<LoadResult> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private BenchMain(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new BenchMain(options).run();
        // The HTTP client's and schedulers' threads would keep the JVM alive.
        System.exit(0);
    }

    private void run() throws Exception {
        Duration scenario = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "15")));
        Path work = Files.createTempDirectory("ai-rate-limiter-bench");
        EmbeddedServices embedded = new EmbeddedServices();
        try {
            String redisUrl = options.containsKey("redis-url") ? options.get("redis-url") : embedded.startRedis();
            Map<String, String> database = database(embedded);
            String apiKey = "bench-" + UUID.randomUUID();
            progress("dependencies ready: redis=" + redisUrl + " logs=" + work);

            Map<String, String> serviceEnv = new HashMap<>(database);
            serviceEnv.put("REDIS_URL", redisUrl);
            serviceEnv.put("MIGRATE_ON_START", "true");
            serviceEnv.put("AI_ADMIN_KEY", apiKey);
            serviceEnv.put("DRAIN_PERIOD", "0s");
            Path baselineConfig = writeBaselineConfig(work);
            try (ServiceProcess service = ServiceProcess.start("service", javaCommand("-jar",
                            Path.of("service", "target", "ai-rate-limiter.jar").toString(), "server", "config.yml"),
                            serviceEnv, 18080, 18081, work.resolve("service.log"));
                    ServiceProcess baseline = ServiceProcess.start("baseline", javaCommand("-cp",
                            jarOf(BenchMain.class), BaselineApplication.class.getName(), "server",
                            baselineConfig.toString()), Map.of("REDIS_URL", redisUrl), 18090, 18091,
                            work.resolve("baseline.log"));
                    JedisPooled redis = new JedisPooled(URI.create(redisUrl))) {
                progress("service and baseline started");
                runScenarios(service, baseline, apiKey, scenario);
                runRedisProbes(redis);
            }
        } finally {
            embedded.stop();
        }
        print(scenario);
    }

    private void runScenarios(ServiceProcess service, ServiceProcess baseline, String apiKey, Duration scenario)
            throws Exception {
        LoadGenerator ours = new LoadGenerator(service.baseUrl(), apiKey);
        LoadGenerator base = new LoadGenerator(baseline.baseUrl(), apiKey);
        String hot = "bench-hot-" + UUID.randomUUID();
        setLimits(ours.client(), service, apiKey, hot, 1_000_000_000L);

        progress("warming up");
        base.closedLoop("warm-up", FLOOR, HOT_CLIENTS, Duration.ofSeconds(5), n -> check(hot, 100), null);
        ours.closedLoop("warm-up", OURS, HOT_CLIENTS, Duration.ofSeconds(5), n -> check(hot, 100), null);

        progress("floor");
        LoadResult floor = add(base.closedLoop("floor: constant answer, same HTTP stack", FLOOR, HOT_CLIENTS,
                scenario, n -> check(hot, 100), null));
        progress("ours, one hot organization");
        LoadResult hotOrg = add(ours.closedLoop("ours: one hot organization", OURS, HOT_CLIENTS, scenario,
                n -> check(hot, 100), null));
        progress("naive, one hot organization");
        LoadResult naive = add(base.closedLoop("naive: read then write, one hot organization", NAIVE,
                HOT_CLIENTS, scenario, n -> check(hot, 100), null));

        progress("exactness at a binding limit");
        String exactOurs = "exact-ours-" + UUID.randomUUID();
        setLimits(ours.client(), service, apiKey, exactOurs, EXACT_LIMIT);
        LoadResult oursExact = add(ours.closedLoop("ours: RPM " + EXACT_LIMIT + " binding", OURS, HOT_CLIENTS,
                Duration.ofSeconds(5), n -> check(exactOurs, 100), null));
        String exactNaive = "exact-naive-" + UUID.randomUUID();
        LoadResult naiveExact = add(base.closedLoop("naive: RPM " + EXACT_LIMIT + " binding", NAIVE,
                HOT_CLIENTS, Duration.ofSeconds(5), n -> check(exactNaive, 100), null));

        progress("10 000 organizations");
        String prefix = "bench-many-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        LoadResult many = add(ours.closedLoop("ours: 10 000 organizations", OURS, HOT_CLIENTS, scenario,
                n -> check(prefix + (n % 10_000), 100), null));
        String heap = adminGauge(ours.client(), service, "jvm.memory.heap.used");
        notes.add("heap used after 10 000 organizations (service runs with -Xmx300m): "
                + megabytes(heap));

        progress("p99 at half of peak");
        double half = hotOrg.perSecond() / 2;
        LoadResult halfPeak = add(ours.openLoop(String.format(Locale.ROOT, "ours: open loop at %.0f/s (half peak)",
                half), OURS, half, scenario, n -> check(hot, 100)));

        progress("trace replay");
        add(TraceReplay.run(ours, Path.of(options.getOrDefault("trace",
                "../shared/data/azure_llm_2023_code_part1.csv")), scenario));

        progress("mixed checks and usage");
        String mixedPrefix = "bench-mixed-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        add(ours.closedLoop("ours: checks + usage, 1000 organizations", OURS, 32, scenario,
                n -> check(mixedPrefix + (n % 1000), 150), (client, check) -> usage(client, service, apiKey, check)));

        notes.add(String.format(Locale.ROOT, "ours/floor = %.2f (target >= 0.6)", hotOrg.perSecond() / floor.perSecond()));
        notes.add(String.format(Locale.ROOT, "ours/naive = %.2f (target >= 2)", hotOrg.perSecond() / naive.perSecond()));
        notes.add(String.format(Locale.ROOT, "p99 at half of peak = %.2f ms (target < 5 ms)", halfPeak.percentileMs(99)));
        notes.add("over-admission at RPM " + EXACT_LIMIT + ": ours " + Math.max(0, oursExact.maxAdmittedInWindow()
                - EXACT_LIMIT) + ", naive " + Math.max(0, naiveExact.maxAdmittedInWindow() - EXACT_LIMIT));
        notes.add("largest admitted in any 60 s, 10 000 organizations, per organization: "
                + many.maxAdmittedInWindow() + " (limit 60)");
    }

    private void runRedisProbes(JedisPooled redis) throws Exception {
        RedisProbes probes = new RedisProbes(redis);
        progress("redis probes");
        double raw = probes.rawEvalshaPerSecond(8, 5_000);
        notes.add(String.format(Locale.ROOT, "redis ceiling: raw EVALSHA of our script, one check per call,"
                + " 8 client threads: %.0f/s", raw));
        double small = probes.usecPerCheck(10, 2000);
        double large = probes.usecPerCheck(10_000, 2000);
        notes.add(String.format(Locale.ROOT, "redis cost per check: %.2f us with 10 entries, %.2f us with"
                + " 10 000 entries, ratio %.2f (target <= 1.3)", small, large, large / small));
        long minute = probes.bytesPerOrganization(100, 60, 60_000);
        long steady = probes.bytesPerOrganization(100, 360, 360_000);
        notes.add("redis memory per organization at 60 RPM: " + minute + " bytes with a full minute window,"
                + " " + steady + " bytes in steady state (entries kept 5 minutes for late usage)");
    }

    private void print(Duration scenario) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-52s %8s %10s %8s %8s %9s %9s %8s %7s %10s%n", "scenario", "clients",
                "checks/s", "p50 ms", "p99 ms", "p99.9 ms", "allowed", "denied", "other", "max/60s");
        for (LoadResult row : rows) {
            System.out.printf(Locale.ROOT, "%-52s %8s %10.0f %8.2f %8.2f %9.2f %9d %8d %7d %10d%n", row.name(),
                    row.clients() == 0 ? "open" : Integer.toString(row.clients()), row.perSecond(),
                    row.percentileMs(50), row.percentileMs(99), row.percentileMs(99.9), row.allowed(),
                    row.denied(), row.other(), row.maxAdmittedInWindow());
        }
        System.out.println();
        for (LoadResult row : rows) {
            if (row.other() > 0) {
                notes.add("other answers in '" + row.name() + "': " + row.otherByStatus());
            }
        }
        notes.forEach(note -> System.out.println("- " + note));
        System.out.println("- " + scenario.toSeconds() + " s per scenario; " + Runtime.getRuntime().availableProcessors()
                + " cores; load generator, service, baseline, Redis and Postgres share them");
    }

    private LoadResult add(LoadResult result) {
        rows.add(result);
        return result;
    }

    private static LoadGenerator.Check check(String orgId, long tokens) {
        return new LoadGenerator.Check(orgId, "{\"estimatedTokens\":" + tokens + ",\"requestId\":\""
                + UUID.randomUUID() + "\"}");
    }

    private static CompletableFuture<?> usage(HttpClient client, ServiceProcess service, String apiKey,
            LoadGenerator.Check check) {
        String requestId = check.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");
        String body = "{\"requestId\":\"" + requestId + "\",\"inputTokens\":80,\"outputTokens\":20,"
                + "\"model\":\"bench-model\",\"featureType\":\"bench\"}";
        return client.sendAsync(post(service.baseUrl() + "/v1/orgs/" + check.orgId() + "/usage", apiKey, body),
                HttpResponse.BodyHandlers.discarding());
    }

    private static void setLimits(HttpClient client, ServiceProcess service, String apiKey, String orgId, long rpm)
            throws IOException, InterruptedException {
        String body = "{\"requestsPerMinute\":" + rpm + ",\"tokensPerMinute\":1000000000000,"
                + "\"requestsPerDay\":1000000000000,\"tokensPerDay\":1000000000000000}";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create(service.baseUrl() + "/v1/orgs/" + orgId + "/limits"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("setting limits failed: " + response.statusCode() + " " + response.body());
        }
    }

    private static HttpRequest post(String url, String apiKey, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String adminGauge(HttpClient client, ServiceProcess service, String name)
            throws IOException, InterruptedException {
        String metrics = client.send(HttpRequest.newBuilder(URI.create(service.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int at = metrics.indexOf("\"" + name + "\":{\"value\":");
        if (at < 0) {
            return "?";
        }
        int start = at + name.length() + 12;
        return metrics.substring(start, metrics.indexOf('}', start));
    }

    private static String megabytes(String bytes) {
        try {
            return String.format(Locale.ROOT, "%.0f MB", Long.parseLong(bytes.trim()) / 1_048_576.0);
        } catch (NumberFormatException e) {
            return bytes;
        }
    }

    private Map<String, String> database(EmbeddedServices embedded) throws IOException {
        Map<String, String> env = new HashMap<>();
        if (options.containsKey("database-url")) {
            env.put("DATABASE_URL", options.get("database-url"));
            env.put("DATABASE_USER", options.getOrDefault("database-user", "postgres"));
            env.put("DATABASE_PASSWORD", options.getOrDefault("database-password", ""));
        } else {
            env.put("DATABASE_URL", embedded.startPostgres());
            env.put("DATABASE_USER", "postgres");
            env.put("DATABASE_PASSWORD", "postgres");
        }
        return env;
    }

    private static Path writeBaselineConfig(Path work) throws IOException {
        Path config = work.resolve("baseline.yml");
        Files.writeString(config, String.join("\n",
                "server:",
                "  applicationConnectors:",
                "    - type: http",
                "      bindHost: 127.0.0.1",
                "      port: ${PORT}",
                "  adminConnectors:",
                "    - type: http",
                "      bindHost: 127.0.0.1",
                "      port: ${ADMIN_PORT}",
                "redisUrl: ${REDIS_URL}",
                "requestsPerMinute: " + EXACT_LIMIT,
                "logging:",
                "  level: WARN",
                ""));
        return config;
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx300m"));
        command.addAll(List.of(args));
        return command;
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
