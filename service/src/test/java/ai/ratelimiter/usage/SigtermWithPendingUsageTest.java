package ai.ratelimiter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.ServiceProcesses;
import ai.ratelimiter.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The service as its own process receives SIGTERM while clients send usage records as fast
 * as they can: it exits within its grace period, and every record it acknowledged is in
 * Postgres afterwards.
 */
class SigtermWithPendingUsageTest {

    private static final int CLIENTS = 16;
    private static final String ADMIN_KEY = "sigterm-test-admin-key-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedRecordIsCommittedWhenTheServiceStopsUnderLoad() throws Exception {
        int port = ServiceProcesses.freePort();
        String orgId = "sigterm-" + UUID.randomUUID();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean sending = new AtomicBoolean(true);
        Process service = start(port, ServiceProcesses.freePort());
        try {
            awaitServing(port, orgId);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    while (sending.get()) {
                        String requestId = UUID.randomUUID().toString();
                        int status = record(port, orgId, requestId);
                        if (status == 201) {
                            acknowledged.add(requestId);
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1500);

            long signalled = System.nanoTime();
            service.destroy();
            boolean exited = service.waitFor(60, TimeUnit.SECONDS);
            long exitMs = (System.nanoTime() - signalled) / 1_000_000;
            sending.set(false);
            for (Future<?> client : clients) {
                client.get();
            }
            pool.shutdown();
            long stored = TestServices.get().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM ai_usage WHERE org_id = :orgId AND request_id = ANY(:ids)")
                    .bind("orgId", orgId).bindArray("ids", String.class, acknowledged.toArray(new String[0]))
                    .mapTo(Long.class).one());

            assertThat(exited).as("process exited").isTrue();
            assertThat(exitMs).as("ms from SIGTERM to exit").isLessThan(25_000);
            assertThat(acknowledged).as("records acknowledged before and during shutdown").isNotEmpty();
            assertThat(stored).isEqualTo(acknowledged.size());
            System.out.printf("sigterm: acknowledged=%d stored=%d refusedOrUnanswered=%d exitMs=%d%n",
                    acknowledged.size(), stored, refused.get(), exitMs);
        } finally {
            service.destroyForcibly();
        }
    }

    private static Process start(int port, int adminPort) throws IOException {
        return ServiceProcesses.start(port, adminPort, ADMIN_KEY, Map.of("DRAIN_PERIOD", "1s"),
                ProcessBuilder.Redirect.DISCARD);
    }

    private static void awaitServing(int port, String orgId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (record(port, orgId, "warm-up-" + UUID.randomUUID()) == 201) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("service did not start within 90 s");
    }

    /** The status of one usage record, or -1 when the service did not answer. */
    private static int record(int port, String orgId, String requestId) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/orgs/" + orgId + "/usage"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"" + requestId
                        + "\",\"inputTokens\":10,\"outputTokens\":5}"))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
