package ai.ratelimiter.testing;

import ai.ratelimiter.RateLimiterApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the service as its own process, as a container runs it (`server config.yml`), on
 * {@link TestServices}' Redis and Postgres, for tests that send it signals.
 */
public final class ServiceProcesses {

    private ServiceProcesses() {
    }

    /**
     * @param environment variables added to (or replacing) the ports, databases and key
     * @param stdout where its standard output goes; its standard error is discarded
     */
    public static Process start(int port, int adminPort, String adminKey, Map<String, String> environment,
            ProcessBuilder.Redirect stdout) throws IOException {
        TestServices services = TestServices.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String config = Path.of("..", "config.yml").toAbsolutePath().normalize().toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RateLimiterApplication.class.getName(), "server", config);
        Map<String, String> variables = new HashMap<>(Map.of(
                "PORT", Integer.toString(port),
                "ADMIN_PORT", Integer.toString(adminPort),
                "REDIS_URL", services.redisUrl(),
                "DATABASE_URL", services.databaseUrl(),
                "DATABASE_USER", services.databaseUser(),
                "DATABASE_PASSWORD", services.databasePassword(),
                "AI_ADMIN_KEY", adminKey));
        variables.putAll(environment);
        builder.environment().putAll(variables);
        builder.redirectOutput(stdout);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    /** A loopback port free right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
