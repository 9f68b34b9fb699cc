package ai.ratelimiter.windows;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.testing.LocalRedisCluster;
import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The window store on a three-master Redis Cluster, as {@code redis.clusterNodes} runs it. */
class RedisClusterWindowStoreTest {

    private static final Limits LIMITS = new Limits(60, 100_000, 10_000, 5_000_000);

    private static LocalRedisCluster cluster;
    private static JedisCluster client;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalRedisCluster.startIfPossible(3).orElse(null);
        if (cluster != null) {
            client = cluster.newClient();
        }
    }

    @BeforeEach
    void skipWithoutCluster() {
        LocalRedisCluster.assumeRunning(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clusterComputesTheSameSlotForEveryKeyOfAnOrganization() {
        String orgId = TestApp.newOrgId();
        List<Long> serverSlots = new ArrayList<>();

        cluster.forEachNode(jedis -> {
            for (String key : RedisWindowStore.keysOf(orgId)) {
                serverSlots.add(jedis.clusterKeySlot(key));
            }
        });

        assertThat(serverSlots).hasSize(12).containsOnly((long) JedisClusterCRC16.getSlot(orgId));
    }

    @Test
    void checkWritesEveryKeyOnTheMasterOwningTheOrganizationSlot() {
        String orgId = TestApp.newOrgId();
        RedisWindowStore store = new RedisWindowStore(client, ScriptClock.REDIS_SERVER, 900_000);
        HostAndPort owner = cluster.masterOf(JedisClusterCRC16.getSlot(orgId));

        BatchResult result = store.apply(orgId, LIMITS, List.of(WindowOperation.check("r1", 500)));

        assertThat(result.results().get(0).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(result.results().get(0).usage()).isEqualTo(new WindowUsage(1, 500, 1, 500));
        try (Jedis jedis = new Jedis(owner)) {
            assertThat(jedis.exists(RedisWindowStore.keysOf(orgId).toArray(new String[0]))).isEqualTo(4);
        }
    }

    @Test
    void scriptFlushedOnEveryNodeIsLoadedAgainByTheNextCheck() {
        ManualClock clock = new ManualClock(Instant.now());
        RedisWindowStore store = new RedisWindowStore(client, clock, 900_000);
        String orgId = TestApp.newOrgId();
        HostAndPort owner = cluster.masterOf(JedisClusterCRC16.getSlot(orgId));
        store.apply(orgId, LIMITS, List.of(WindowOperation.check("r1", 100)));
        cluster.forEachNode(Jedis::scriptFlush);
        assertThat(scriptLoadedOn(owner)).isFalse();

        BatchResult result = store.apply(orgId, LIMITS, List.of(WindowOperation.check("r2", 100)));

        assertThat(result.results().get(0).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(result.results().get(0).usage()).isEqualTo(new WindowUsage(2, 200, 2, 200));
        assertThat(scriptLoadedOn(owner)).isTrue();
    }

    private static boolean scriptLoadedOn(HostAndPort node) {
        try (Jedis jedis = new Jedis(node)) {
            return jedis.scriptExists(scriptSha());
        }
    }

    private static String scriptSha() {
        try (InputStream in = RedisWindowStore.class.getResourceAsStream("windows.lua")) {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(in.readAllBytes());
            return HexFormat.of().formatHex(digest);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash windows.lua", e);
        }
    }
}
