package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hard exactness across replicas (DESIGN 3.3): two running instances that share one Redis,
 * both on the Redis server clock as in production, hit by many real HTTP clients at once.
 */
class ConcurrentChecksTest {

    private static final int CHECKS = 200;
    private static final int REQUESTS_PER_MINUTE = 50;
    private static final int CLIENT_THREADS = 40;

    private static TestApp first;
    private static TestApp second;

    @BeforeAll
    static void start() throws Exception {
        first = TestApp.start();
        second = TestApp.start();
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void twoHundredConcurrentChecksThroughTwoInstancesAdmitExactlyTheLimit() throws Exception {
        String orgId = TestApp.newOrgId();
        putLimits(orgId);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < CHECKS; i++) {
            TestApp instance = i % 2 == 0 ? first : second;
            HttpRequest request = checkRequest(instance, orgId, "req-" + i);
            answers.add(clients.submit(() -> {
                go.await();
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }

        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get(60, TimeUnit.SECONDS));
        }
        clients.shutdown();
        HttpRequest read = HttpRequest.newBuilder(
                URI.create(base(second) + "/v1/orgs/" + orgId + "/status"))
                .header("Authorization", "Bearer " + second.adminKey())
                .build();
        String status = client.send(read, HttpResponse.BodyHandlers.ofString()).body();

        Map<Integer, Long> counts = statuses.stream().collect(
                Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertThat(counts).isEqualTo(Map.of(200, 50L, 429, 150L));
        assertThat(new ObjectMapper().readTree(status).get("used").get("minuteRequests").asLong())
                .isEqualTo(REQUESTS_PER_MINUTE);
    }

    private static void putLimits(String orgId) throws Exception {
        String limits = """
                {"requestsPerMinute": %d, "tokensPerMinute": 1000000,
                 "requestsPerDay": 100000, "tokensPerDay": 100000000}
                """.formatted(REQUESTS_PER_MINUTE);
        URI uri = URI.create(base(first) + "/v1/orgs/" + orgId + "/limits");
        HttpRequest put = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + first.adminKey())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(limits))
                .build();
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(put, HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static HttpRequest checkRequest(TestApp instance, String orgId, String requestId) {
        String body = "{\"estimatedTokens\": 100, \"requestId\": \"" + requestId + "\"}";
        return HttpRequest.newBuilder(URI.create(base(instance) + "/v1/orgs/" + orgId + "/checks"))
                .header("Authorization", "Bearer " + instance.adminKey())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String base(TestApp instance) {
        return "http://127.0.0.1:" + instance.port();
    }
}
