package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.LocalRedisCluster;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.windows.RedisWindowStore;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Exact admission with the windows on a three-master Redis Cluster: two service instances,
 * configured only through {@code redis.clusterNodes}, share it like replicas.
 */
class ClusterAdmissionTest {

    private static final int CLIENT_THREADS = 32;
    private static final long GENEROUS = 1_000_000_000L;

    private static LocalRedisCluster cluster;
    private static TestApp first;
    private static TestApp second;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalRedisCluster.startIfPossible(3).orElse(null);
        if (cluster != null) {
            first = TestApp.start(cluster.serviceOverrides());
            second = TestApp.start(cluster.serviceOverrides());
        }
    }

    @BeforeEach
    void skipWithoutCluster() {
        LocalRedisCluster.assumeRunning(cluster);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoInstancesOnTheClusterAdmitExactlyFiftyOfTwoHundredConcurrentChecks() throws Exception {
        String orgId = TestApp.newOrgId();
        setRequestsPerMinute(orgId, 50);

        List<Integer> statuses = checkConcurrently(Collections.nCopies(200, orgId));

        assertThat(countByStatus(statuses)).isEqualTo(Map.of(200, 50L, 429, 150L));
        try (JedisCluster client = cluster.newClient()) {
            String minuteWindow = RedisWindowStore.keysOf(orgId).get(0);
            assertThat(client.zcard(minuteWindow)).as("entries in the cluster's window").isEqualTo(50);
        }
    }

    @Test
    void organizationsOnEveryMasterEachAdmitExactlyTheirOwnLimit() throws Exception {
        List<String> orgIds = organizationsOnEveryMaster(2);
        Map<String, Integer> limits = new LinkedHashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        for (int i = 0; i < orgIds.size(); i++) {
            limits.put(orgIds.get(i), 10 + 5 * i);
            attempts.put(orgIds.get(i), 3 * (10 + 5 * i));
            setRequestsPerMinute(orgIds.get(i), 10 + 5 * i);
        }
        List<String> interleaved = interleave(attempts);

        List<Integer> statuses = checkConcurrently(interleaved);

        Set<HostAndPort> masters = orgIds.stream()
                .map(orgId -> cluster.masterOf(JedisClusterCRC16.getSlot(orgId)))
                .collect(Collectors.toSet());
        assertThat(masters).containsExactlyInAnyOrderElementsOf(cluster.masters());
        Map<String, Integer> allowed = new HashMap<>();
        for (int i = 0; i < interleaved.size(); i++) {
            if (statuses.get(i) == 200) {
                allowed.merge(interleaved.get(i), 1, Integer::sum);
            }
        }
        assertThat(allowed).isEqualTo(limits);
        assertThat(countByStatus(statuses)).containsOnlyKeys(200, 429);
    }

    @Test
    void limitsPutOnOneInstanceReachTheOtherOverClusterPubSubWithinOneSecond() throws Exception {
        String orgId = TestApp.newOrgId();
        assertThat(limitHeaderOfACheck(second, orgId)).isEqualTo("60");

        long started = System.nanoTime();
        setRequestsPerMinute(orgId, 7);
        String seen = limitHeaderOfACheck(second, orgId);
        while (!seen.equals("7") && System.nanoTime() - started < 2_000_000_000L) {
            Thread.sleep(20);
            seen = limitHeaderOfACheck(second, orgId);
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(seen).isEqualTo("7");
        assertThat(elapsedMs).isLessThan(1000);
    }

    /** Finds fresh organization ids until each master owns {@code perMaster} of them. */
    private static List<String> organizationsOnEveryMaster(int perMaster) {
        Map<HostAndPort, List<String>> byMaster = new HashMap<>();
        for (HostAndPort master : cluster.masters()) {
            byMaster.put(master, new ArrayList<>());
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            String orgId = TestApp.newOrgId();
            List<String> owned = byMaster.get(cluster.masterOf(JedisClusterCRC16.getSlot(orgId)));
            if (owned.size() < perMaster) {
                owned.add(orgId);
            }
            if (byMaster.values().stream().allMatch(ids -> ids.size() == perMaster)) {
                break;
            }
        }
        return byMaster.values().stream().flatMap(List::stream).toList();
    }

    private static void setRequestsPerMinute(String orgId, long requestsPerMinute) {
        Map<String, Long> body = Map.of("requestsPerMinute", requestsPerMinute,
                "tokensPerMinute", GENEROUS, "requestsPerDay", GENEROUS, "tokensPerDay", GENEROUS);
        try (Response response = first.target("/v1/orgs/" + orgId + "/limits").request()
                .put(Entity.json(body))) {
            assertThat(response.getStatus()).isEqualTo(200);
        }
    }

    private static String limitHeaderOfACheck(TestApp app, String orgId) {
        try (Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 1)))) {
            return response.getHeaderString("x-ratelimit-limit-requests");
        }
    }

    /** Round-robin over the organizations until each has had its number of checks. */
    private static List<String> interleave(Map<String, Integer> attempts) {
        Map<String, Integer> left = new LinkedHashMap<>(attempts);
        List<String> order = new ArrayList<>();
        while (!left.isEmpty()) {
            for (String orgId : List.copyOf(left.keySet())) {
                order.add(orgId);
                left.compute(orgId, (key, count) -> count == 1 ? null : count - 1);
            }
        }
        return order;
    }

    /**
     * Sends one check for each organization id in {@code checks}, alternating between the two
     * instances, all released at once; returns the statuses in the same order.
     */
    private static List<Integer> checkConcurrently(List<String> checks) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                TestApp app = i % 2 == 0 ? first : second;
                answers.add(clients.submit(check(app, checks.get(i), go)));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            clients.shutdownNow();
        }
    }

    private static Callable<Integer> check(TestApp app, String orgId, CountDownLatch go) {
        return () -> {
            go.await();
            try (Response response = app.target("/v1/orgs/" + orgId + "/checks").request()
                    .post(Entity.json(Map.of("estimatedTokens", 1)))) {
                return response.getStatus();
            }
        };
    }

    private static Map<Integer, Long> countByStatus(List<Integer> statuses) {
        return statuses.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting()));
    }
}
