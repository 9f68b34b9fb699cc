package ai.ratelimiter.embedded;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis and a real Postgres started from binaries shipped in Maven artifacts, for a
 * machine that has neither. Each is started only when asked for, listens on loopback only,
 * and keeps its data in a temporary directory that is gone when the service stops.
 */
public final class EmbeddedServices implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);

    private RedisServer redis;
    private int redisPort;
    private EmbeddedPostgres postgres;

    /** Starts a Redis on a free loopback port and returns its URL. */
    public String startRedis() throws IOException {
        redisPort = freePort();
        redis = RedisServer.newRedisServer()
                .port(redisPort)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        LOG.info("embedded redis started: port={}", redisPort);
        return "redis://127.0.0.1:" + redisPort;
    }

    /** Starts a Postgres on a free loopback port and returns its JDBC URL (user postgres). */
    public String startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        LOG.info("embedded postgres started: port={}", postgres.getPort());
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public Optional<Integer> redisPort() {
        return redis == null ? Optional.empty() : Optional.of(redisPort);
    }

    public boolean isAnyRunning() {
        return redis != null || postgres != null;
    }

    @Override
    public void stop() throws IOException {
        if (redis != null) {
            redis.stop();
            redis = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
