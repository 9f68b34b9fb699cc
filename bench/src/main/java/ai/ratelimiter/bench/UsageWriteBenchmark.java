package ai.ratelimiter.bench;

import ai.ratelimiter.usage.IncomingUsage;
import ai.ratelimiter.usage.UsageMetrics;
import ai.ratelimiter.usage.UsageRecord;
import ai.ratelimiter.usage.UsageStore;
import ai.ratelimiter.usage.UsageWriter;
import ai.ratelimiter.usage.UsageWriterSettings;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.jdbi.v3.core.Jdbi;

/**
 * Measures usage records stored per second by the service's own store code, two ways in one
 * run against one Postgres: one transaction per record (each caller writes its own record),
 * and group commit through {@link UsageWriter}. Each caller is a thread that sends a record and
 * waits for its commit before sending the next, as a backend waiting for its 201 does.
 *
 * <p>Postgres: {@code TEST_DATABASE_URL} (with {@code TEST_DATABASE_USER},
 * {@code TEST_DATABASE_PASSWORD}) when set, otherwise an embedded one with {@code fsync=on} and
 * {@code synchronous_commit=on} (the embedded defaults turn both off), so that a commit waits
 * for its WAL flush as in production. Arguments: {@code --callers N[,N...]} (default 16,64),
 * {@code --records N} per mode (default 10000), {@code --batch N} (500), {@code --linger-ms N}
 * (5). The records it writes are deleted at the end.
 */
public final class UsageWriteBenchmark {

    private static final String[] FEATURES = {"chat", "search", "summarize", "code", "agent"};
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet", "llama-70b"};
    private static final int WARM_UP_RECORDS = 2_000;

    private final int records;
    private final int batch;
    private final long lingerMs;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    /** One mode's figures; {@code commitMs} is the mean per transaction, 0 when not measured. */
    private record Result(int records, double seconds, long transactions, double commitMs) {

        double perSecond() {
            return records / seconds;
        }
    }

    private UsageWriteBenchmark(int records, int batch, long lingerMs) {
        this.records = records;
        this.batch = batch;
        this.lingerMs = lingerMs;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> callers = new ArrayList<>();
        for (String value : argument(args, "--callers", "16,64").split(",")) {
            callers.add(Integer.parseInt(value.trim()));
        }
        int records = Integer.parseInt(argument(args, "--records", "10000"));
        int batch = Integer.parseInt(argument(args, "--batch", "500"));
        long lingerMs = Long.parseLong(argument(args, "--linger-ms", "5"));
        new UsageWriteBenchmark(records, batch, lingerMs).run(callers);
    }

    private void run(List<Integer> callerCounts) throws Exception {
        String url = System.getenv("TEST_DATABASE_URL");
        String user = System.getenv().getOrDefault("TEST_DATABASE_USER", "postgres");
        String password = System.getenv().getOrDefault("TEST_DATABASE_PASSWORD", "");
        EmbeddedPostgres embedded = null;
        if (url == null || url.isBlank()) {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .start();
            url = embedded.getJdbcUrl("postgres", "postgres");
            password = "postgres";
        }
        int maxCallers = callerCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        ManagedDataSource dataSource = dataSource(url, user, password, maxCallers + 4);
        dataSource.start();
        try {
            migrate(dataSource);
            Jdbi jdbi = Jdbi.create(dataSource);
            describe(jdbi, embedded != null);
            measureAll(new UsageStore(jdbi), callerCounts);
            cleanUp(jdbi);
        } finally {
            dataSource.stop();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private void measureAll(UsageStore store, List<Integer> callerCounts) throws Exception {
        // Warm both paths up (JIT, connections, plans) before anything is measured.
        int warmCallers = callerCounts.get(0);
        measure("warm-single", WARM_UP_RECORDS, warmCallers, usage -> store.write(List.of(usage)));
        measureGroupCommit(store, "warm-group", WARM_UP_RECORDS, warmCallers);

        System.out.printf(Locale.ROOT, "%-22s %8s %8s %8s %10s %13s %15s %11s%n", "mode", "callers",
                "records", "seconds", "records/s", "transactions", "records/commit", "commit ms");
        List<String> ratios = new ArrayList<>();
        for (int callers : callerCounts) {
            Result single = measure("single-" + callers, records, callers,
                    usage -> store.write(List.of(usage)));
            Result group = measureGroupCommit(store, "group-" + callers, records, callers);
            print("one insert per record", callers, single);
            print("group commit", callers, group);
            ratios.add(String.format(Locale.ROOT, "%.1fx with %d callers",
                    group.perSecond() / single.perSecond(), callers));
        }
        System.out.printf(Locale.ROOT, "group commit (maxBatchSize=%d, linger=%d ms) stores %s"
                + " as many records per second as one insert per record%n", batch, lingerMs,
                String.join(", ", ratios));
    }

    private Result measureGroupCommit(UsageStore store, String mode, int count, int callers)
            throws Exception {
        MetricRegistry registry = new MetricRegistry();
        UsageMetrics metrics = new UsageMetrics(registry);
        ExecutorService answers = Executors.newFixedThreadPool(2);
        UsageWriterSettings settings = new UsageWriterSettings(batch, Duration.ofMillis(lingerMs),
                Math.max(batch, callers) * 4, Duration.ofSeconds(30), 2, Duration.ofSeconds(30));
        UsageWriter writer = new UsageWriter(store, settings, metrics, answers);
        writer.start();
        try {
            Result result = measure(mode, count, callers, usage -> writer.submit(usage).join());
            double commitMs = registry.timer("usage.commit-latency").getSnapshot().getMean() / 1e6;
            return new Result(count, result.seconds(), metrics.transactionCount(), commitMs);
        } finally {
            writer.stop();
            answers.shutdown();
        }
    }

    /** Sends {@code count} records through {@code write} from {@code callers} threads. */
    private Result measure(String mode, int count, int callers, Consumer<IncomingUsage> write)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> done = new ArrayList<>(callers);

        long started = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    write.accept(record(mode, i, now));
                }
                return null;
            }));
        }
        for (Future<?> caller : done) {
            caller.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        pool.shutdown();
        return new Result(count, seconds, count, 0);
    }

    /** Twenty organizations, five features, four models, fifty users, over the last two days. */
    private IncomingUsage record(String mode, int i, Instant now) {
        UsageRecord record = new UsageRecord("bench-" + runId + "-" + (i % 20), mode + "-" + i,
                "user-" + (i % 50), 500 + i % 1000, 100 + i % 300, i % 200, i % 20,
                MODELS[i % MODELS.length], "provider", FEATURES[i % FEATURES.length], "ticket",
                "T-" + i, 800L + i % 4000, now.minus(Duration.ofSeconds((i * 7919L) % 172_800)));
        return new IncomingUsage(record, true);
    }

    private static ManagedDataSource dataSource(String url, String user, String password,
            int maxSize) {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl(url);
        factory.setUser(user);
        factory.setPassword(password);
        factory.setMinSize(1);
        factory.setInitialSize(1);
        factory.setMaxSize(maxSize);
        return factory.build(new MetricRegistry(), "bench");
    }

    @SuppressWarnings("deprecation") // Liquibase.update(String) is what dropwizard-migrations uses.
    private static void migrate(ManagedDataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            new Liquibase("migrations.xml", new ClassLoaderResourceAccessor(),
                    new JdbcConnection(connection)).update("");
        }
    }

    private static void describe(Jdbi jdbi, boolean embedded) {
        System.out.printf(Locale.ROOT,
                "Postgres %s (%s), synchronous_commit=%s fsync=%s; %d cores%n",
                show(jdbi, "server_version"), embedded ? "embedded" : "TEST_DATABASE_URL",
                show(jdbi, "synchronous_commit"), show(jdbi, "fsync"),
                Runtime.getRuntime().availableProcessors());
    }

    private static String show(Jdbi jdbi, String setting) {
        return jdbi.withHandle(handle -> handle.createQuery("SHOW " + setting)
                .mapTo(String.class).one());
    }

    private void cleanUp(Jdbi jdbi) {
        String pattern = "bench-" + runId + "-%";
        jdbi.useHandle(handle -> {
            handle.createUpdate("DELETE FROM ai_usage WHERE org_id LIKE :pattern")
                    .bind("pattern", pattern).execute();
            handle.createUpdate("DELETE FROM ai_usage_hourly WHERE org_id LIKE :pattern")
                    .bind("pattern", pattern).execute();
        });
    }

    private static void print(String mode, int callers, Result result) {
        String commitMs = result.commitMs() > 0
                ? String.format(Locale.ROOT, "%.1f", result.commitMs()) : "-";
        System.out.printf(Locale.ROOT, "%-22s %8d %8d %8.2f %10.0f %13d %15.1f %11s%n", mode,
                callers, result.records(), result.seconds(), result.perSecond(),
                result.transactions(), (double) result.records() / result.transactions(), commitMs);
    }

    private static String argument(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
