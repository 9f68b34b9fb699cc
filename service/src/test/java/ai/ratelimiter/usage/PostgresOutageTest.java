package ai.ratelimiter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.CuttableProxy;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Postgres disappears under a stream of usage records (its connection is cut by a proxy) and
 * comes back: usage answers 503 within a bounded time while it is gone, checks go on, and
 * every record ever acknowledged, and every record retried with its request id afterwards,
 * is stored exactly once.
 */
class PostgresOutageTest {

    private static final int WRITERS = 4;

    @Test
    void usageAnswers503DuringAnOutageAndNothingAcknowledgedIsLost() throws Exception {
        TestServices services = TestServices.get();
        URI database = URI.create(services.databaseUrl().substring("jdbc:".length()));
        String orgId = TestApp.newOrgId();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong slowest503Ms = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);

        try (CuttableProxy proxy = new CuttableProxy(database.getHost(), database.getPort());
                TestApp app = TestApp.start(ConfigOverride.config("database.url",
                        services.databaseUrl().replace(":" + database.getPort() + "/", ":" + proxy.port() + "/")))) {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(pool.submit(() -> {
                    while (running.get()) {
                        String requestId = UUID.randomUUID().toString();
                        long started = System.nanoTime();
                        int status = record(app, orgId, requestId);
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        if (status == 201 || status == 200) {
                            acknowledged.add(requestId);
                        } else if (status == 503) {
                            refused.add(requestId);
                            slowest503Ms.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1500);
            proxy.cut();
            Thread.sleep(2500);
            // A limiter started now cannot load its limits: it must answer with the defaults.
            int checkDuringOutage = check(app, TestApp.newOrgId());
            Response limitsDuringOutage = app.target("/v1/orgs/" + orgId + "/limits").request().get();
            limitsDuringOutage.close();
            proxy.restore();
            Thread.sleep(2500);
            running.set(false);
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
            // The client's side of "nothing lost": a refused record is sent again with its id.
            for (String requestId : refused) {
                assertThat(record(app, orgId, requestId)).isIn(200, 201);
                acknowledged.add(requestId);
            }

            long stored = services.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM ai_usage WHERE org_id = :orgId AND request_id = ANY(:ids)")
                    .bind("orgId", orgId).bindArray("ids", String.class, acknowledged.toArray(new String[0]))
                    .mapTo(Long.class).one());
            long rows = services.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM ai_usage WHERE org_id = :orgId").bind("orgId", orgId)
                    .mapTo(Long.class).one());

            assertThat(statuses.keySet()).isSubsetOf(200, 201, 503);
            assertThat(statuses.get(503).get()).as("503 answers while Postgres was gone").isPositive();
            assertThat(slowest503Ms.get()).as("slowest 503 in ms").isLessThan(10_000);
            assertThat(checkDuringOutage).isEqualTo(200);
            assertThat(limitsDuringOutage.getStatus()).isEqualTo(503);
            assertThat(limitsDuringOutage.getHeaderString("Retry-After")).isEqualTo("1");
            assertThat(stored).isEqualTo(acknowledged.size());
            assertThat(rows).isEqualTo(acknowledged.size());
            System.out.printf("postgres outage: statuses=%s acknowledged=%d retriedAfterOutage=%d slowest503Ms=%d%n",
                    statuses, acknowledged.size(), refused.size(), slowest503Ms.get());
        }
    }

    private static int record(TestApp app, String orgId, String requestId) {
        try (Response response = app.target("/v1/orgs/" + orgId + "/usage").request().post(Entity.json(Map.of(
                "requestId", requestId, "inputTokens", 10, "outputTokens", 5, "featureType", "outage")))) {
            return response.getStatus();
        }
    }

    private static int check(TestApp app, String orgId) {
        try (Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 1)))) {
            return response.getStatus();
        }
    }
}
