package ai.ratelimiter.windows;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Configuration of the Redis that holds the windows: one server by {@code url}, or a Redis
 * Cluster by {@code clusterNodes}. With neither, the service starts an embedded Redis.
 */
public class RedisFactory {

    /** The url value that asks for an embedded Redis. */
    public static final String EMBEDDED = "embedded";

    /** {@code redis://[user:password@]host:port[/db]}, or "embedded" (or empty) for none. */
    @JsonProperty
    private String url = EMBEDDED;

    /** Comma-separated {@code host:port} seed nodes of a Redis Cluster; empty for none. */
    @JsonProperty
    private String clusterNodes = "";

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration timeout = Duration.milliseconds(500);

    @Min(1)
    @Max(1024)
    @JsonProperty
    private int poolSize = 32;

    /** How long entries stay after leaving the minute window, so late usage still finds them. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration entryRetention = Duration.minutes(5);

    public boolean isConfigured() {
        return !url().isEmpty() || !clusterNodeList().isEmpty();
    }

    private String url() {
        String trimmed = url == null ? "" : url.trim();
        return trimmed.equalsIgnoreCase(EMBEDDED) ? "" : trimmed;
    }

    private List<String> clusterNodeList() {
        List<String> nodes = new ArrayList<>();
        if (clusterNodes != null) {
            for (String node : clusterNodes.split(",")) {
                if (!node.isBlank()) {
                    nodes.add(node.trim());
                }
            }
        }
        return nodes;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public int getPoolSize() {
        return poolSize;
    }

    public Duration getEntryRetention() {
        return entryRetention;
    }

    @ValidationMethod(message = "redis: set either url or clusterNodes, not both")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isUrlOrCluster() {
        return url().isEmpty() || clusterNodeList().isEmpty();
    }

    @ValidationMethod(message = "redis.clusterNodes: each entry must be host:port")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isClusterNodesWellFormed() {
        return clusterNodeList().stream().allMatch(node -> node.matches("[^:\\s]+:\\d{1,5}"));
    }

    /** Connects to the configured Redis; the caller closes the client. */
    public UnifiedJedis build() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMinIdle(Math.min(4, poolSize));
        pool.setMaxWait(java.time.Duration.ofMillis(timeout.toMilliseconds()));
        if (!clusterNodeList().isEmpty()) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            for (String node : clusterNodeList()) {
                nodes.add(HostAndPort.from(node));
            }
            JedisClientConfig client = DefaultJedisClientConfig.builder()
                    .timeoutMillis((int) timeout.toMilliseconds())
                    .build();
            return new JedisCluster(nodes, client, 3, pool);
        }
        return new JedisPooled(pool, URI.create(url()), (int) timeout.toMilliseconds());
    }
}
