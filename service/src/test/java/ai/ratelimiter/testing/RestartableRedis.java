package ai.ratelimiter.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A Redis of a test's own on a fixed loopback port, from the binary the embedded-redis
 * artifact ships, that the test can stop and start again to play an outage.
 */
public final class RestartableRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    public RestartableRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
        start();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void start() throws IOException {
        server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
    }

    public void stop() throws IOException {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
