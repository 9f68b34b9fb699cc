package ai.ratelimiter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the benchmark drives, run as a child process on loopback so that the load
 * generator and the server do not share a JVM. Its output goes to a log file.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final int adminPort;

    private ServiceProcess(String name, Process process, int port, int adminPort) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
    }

    static ServiceProcess start(String name, List<String> command, Map<String, String> environment,
            int port, int adminPort, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("ADMIN_PORT", Integer.toString(adminPort));
        ServiceProcess started = new ServiceProcess(name, builder.start(), port, adminPort);
        started.awaitReady(Duration.ofSeconds(120), log);
        return started;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException, IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> ping = client.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/ping"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (ping.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
