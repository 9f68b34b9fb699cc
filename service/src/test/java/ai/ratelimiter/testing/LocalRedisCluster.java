package ai.ratelimiter.testing;

import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis Cluster of a few masters (no replicas) on free loopback ports, started from a real
 * {@code redis-server} binary (see {@link RedisServerBinary}) and ready once every node reports
 * {@code cluster_state:ok}. The slots are split evenly in node order, as
 * {@code redis-cli --cluster create} would. Nodes keep their files in a temporary directory
 * that {@link #close()} removes together with the processes. Not thread-safe: one test class
 * starts, uses and closes it.
 */
public final class LocalRedisCluster implements AutoCloseable {

    /** Number of hash slots in every Redis Cluster. */
    public static final int SLOTS = 16384;

    /** The reason cluster tests give when they skip. */
    public static final String NO_BINARY = "Redis Cluster tests skipped: no redis-server binary"
            + " runs here (TEST_REDIS_SERVER, when set, names none; embedded-redis ships none for"
            + " this OS/architecture; none is installed in /usr/bin, /usr/local/bin or on PATH)";

    private static final String HOST = "127.0.0.1";
    /** A node's cluster bus listens on its port plus this offset. */
    private static final int BUS_PORT_OFFSET = 10000;
    private static final int START_ATTEMPTS = 3;
    private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLUSTER_READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MS = 50;

    private final Path binary;
    private final Path directory;
    private final List<Node> nodes = new ArrayList<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    private final Thread stopOnExit = new Thread(this::stopNodes, "redis-cluster-stop");

    private LocalRedisCluster(Path binary) throws IOException {
        this.binary = binary;
        this.directory = Files.createTempDirectory("redis-cluster-");
    }

    /**
     * Starts a cluster of {@code masters} nodes and waits until it serves every slot, or returns
     * empty when no redis-server binary can be found. Tests then skip with {@link #NO_BINARY}
     * through {@link #assumeRunning}, per test, so that the report lists them as skipped.
     */
    public static Optional<LocalRedisCluster> startIfPossible(int masters) throws Exception {
        if (masters < 1) {
            throw new IllegalArgumentException("a cluster needs at least one master");
        }
        Optional<Path> binary = RedisServerBinary.find();
        if (binary.isEmpty()) {
            return Optional.empty();
        }

        LocalRedisCluster cluster = new LocalRedisCluster(binary.get());
        Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
        try {
            for (int i = 0; i < masters; i++) {
                cluster.nodes.add(cluster.startNode(i));
            }
            cluster.assignSlotsAndJoin();
            cluster.awaitReady();
            return Optional.of(cluster);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Skips the calling test, saying why, when {@code cluster} could not be started. */
    public static void assumeRunning(LocalRedisCluster cluster) {
        Assumptions.assumeTrue(cluster != null, NO_BINARY);
    }

    /** The binary the nodes run. */
    public Path binary() {
        return binary;
    }

    /** The nodes' addresses in start order; node {@code i} serves the {@code i}-th slot range. */
    public List<HostAndPort> masters() {
        return nodes.stream().map(Node::address).toList();
    }

    /** The seed list in the form {@code redis.clusterNodes} takes: {@code host:port,...}. */
    public String clusterNodes() {
        return nodes.stream().map(node -> node.address().toString()).collect(Collectors.joining(","));
    }

    /**
     * Overrides for {@link TestApp#start} that point the service at this cluster instead of the
     * standalone test Redis: no {@code redis.url}, the nodes as {@code redis.clusterNodes}.
     */
    public ConfigOverride[] serviceOverrides() {
        return new ConfigOverride[] {
            ConfigOverride.config("redis.url", ""),
            ConfigOverride.config("redis.clusterNodes", clusterNodes())
        };
    }

    /** A new cluster client; the caller closes it. */
    public JedisCluster newClient() {
        return new JedisCluster(new LinkedHashSet<>(masters()),
                DefaultJedisClientConfig.builder().timeoutMillis(2000).build());
    }

    /** The master that serves {@code slot}, as the cluster itself reports it. */
    public HostAndPort masterOf(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot out of range: " + slot);
        }
        try (Jedis jedis = connect(nodes.get(0).address())) {
            for (Object range : jedis.clusterSlots()) {
                List<?> fields = (List<?>) range;
                long first = (Long) fields.get(0);
                long last = (Long) fields.get(1);
                if (slot >= first && slot <= last) {
                    List<?> master = (List<?>) fields.get(2);
                    return new HostAndPort(text(master.get(0)), ((Long) master.get(1)).intValue());
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Runs {@code action} with a direct connection to each node in turn. */
    public void forEachNode(Consumer<Jedis> action) {
        for (Node node : nodes) {
            try (Jedis jedis = connect(node.address())) {
                action.accept(jedis);
            }
        }
    }

    @Override
    public void close() {
        stopNodes();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
        deleteDirectory();
    }

    private Node startNode(int index) throws IOException, InterruptedException {
        IOException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePortWithFreeBus();
            Path nodeDirectory =
                    Files.createDirectories(directory.resolve("node-" + index + "-" + port));
            Process process = new ProcessBuilder(
                    binary.toString(),
                    "--port", Integer.toString(port),
                    "--bind", HOST,
                    "--dir", nodeDirectory.toString(),
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "5000",
                    "--save", "",
                    "--appendonly", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(nodeDirectory.resolve("redis.log").toFile())
                    .start();
            Node node = new Node(new HostAndPort(HOST, port), process, nodeDirectory);
            try {
                awaitPing(node);
                return node;
            } catch (IOException e) {
                // Most likely another process took the port between our probe and the bind.
                stop(node);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private void awaitPing(Node node) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + NODE_START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.process().isAlive()) {
                throw new IOException("redis-server exited on port " + node.address().getPort()
                        + " with code " + node.process().exitValue() + ": " + logOf(node));
            }
            try (Jedis jedis = connect(node.address())) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (JedisException e) {
                // Not listening yet.
            }
            Thread.sleep(POLL_MS);
        }
        throw new IOException("redis-server did not answer PING within " + NODE_START_TIMEOUT
                + " on port " + node.address().getPort() + ": " + logOf(node));
    }

    /**
     * Gives node {@code i} the {@code i}-th slot range and a config epoch of its own (so no
     * epoch collision has to be resolved first), then introduces every node to the first.
     */
    private void assignSlotsAndJoin() {
        int count = nodes.size();
        for (int i = 0; i < count; i++) {
            int first = i * SLOTS / count;
            int last = (i + 1) * SLOTS / count - 1;
            try (Jedis jedis = connect(nodes.get(i).address())) {
                jedis.clusterSetConfigEpoch(i + 1);
                jedis.clusterAddSlots(IntStream.rangeClosed(first, last).toArray());
            }
        }
        try (Jedis first = connect(nodes.get(0).address())) {
            for (Node node : nodes.subList(1, count)) {
                first.clusterMeet(node.address().getHost(), node.address().getPort());
            }
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + CLUSTER_READY_TIMEOUT.toNanos();
        String known = "cluster_known_nodes:" + nodes.size();
        while (System.nanoTime() < deadline) {
            boolean allReady = true;
            for (Node node : nodes) {
                try (Jedis jedis = connect(node.address())) {
                    String info = jedis.clusterInfo();
                    allReady &= info.contains("cluster_state:ok") && info.contains(known);
                }
            }
            if (allReady) {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("Redis Cluster not ready within " + CLUSTER_READY_TIMEOUT
                + ": nodes=" + clusterNodes());
    }

    private int freePortWithFreeBus() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = freePort();
            int bus = port + BUS_PORT_OFFSET;
            if (bus > 65535 || usedPorts.contains(port) || usedPorts.contains(bus) || !isFree(bus)) {
                continue;
            }
            usedPorts.add(port);
            usedPorts.add(bus);
            return port;
        }
        throw new IOException("no free loopback port whose cluster bus port is free too");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Jedis connect(HostAndPort address) {
        return new Jedis(address, DefaultJedisClientConfig.builder().timeoutMillis(2000).build());
    }

    private void stopNodes() {
        for (Node node : nodes) {
            stop(node);
        }
    }

    private static void stop(Node node) {
        Process process = node.process();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; the processes are what matter.
        }
    }

    private static String logOf(Node node) {
        try {
            Path log = node.directory().resolve("redis.log");
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes
                ? new String(bytes, StandardCharsets.UTF_8)
                : value.toString();
    }

    private record Node(HostAndPort address, Process process, Path directory) {
    }
}
