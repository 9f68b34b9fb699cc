package ai.ratelimiter.windows;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The Redis keys of an organization, as Redis Cluster hashes them. */
class WindowKeysTest {

    @Test
    void keysOfOneOrganizationAllHashToTheSlotOfItsId() {
        List<String> orgIds = List.of("acme", TestApp.newOrgId(), "a.b:c-d_E9", "x".repeat(128));

        for (String orgId : orgIds) {
            List<String> keys = RedisWindowStore.keysOf(orgId);
            Set<Integer> slots =
                    keys.stream().map(JedisClusterCRC16::getSlot).collect(Collectors.toSet());

            assertThat(keys).hasSize(4);
            assertThat(slots).as("slots of %s", keys).containsExactly(JedisClusterCRC16.getSlot(orgId));
        }
    }
}
