package ai.ratelimiter.health;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.ServiceProcesses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service as its own process, as a container runs it, with JSON logs: SIGTERM makes
 * readiness fail at once while the server still answers checks for the drain period, and
 * every line it writes to stdout, request log included, is one JSON object.
 */
class ShutdownDrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The service process's bootstrap admin key, which its checks carry. */
    private static final String ADMIN_KEY = "drain-test-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigtermFailsReadinessWhileChecksAreStillAnsweredThenTheProcessExits() throws Exception {
        int port = ServiceProcesses.freePort();
        int adminPort = ServiceProcesses.freePort();
        Path stdout = Files.createTempFile("service-stdout", ".log");
        Process service = start(port, adminPort, stdout);
        try {
            boolean readyAfterStart = awaitStatus(adminPort, "/health/ready", 200, 90);
            int checkWhileServing = check(port);

            service.destroy();
            boolean unreadyAfterSigterm = awaitStatus(adminPort, "/health/ready", 503, 2);
            int liveWhileDraining = status(adminPort, "/health/live");
            int checkWhileDraining = check(port);
            boolean exited = service.waitFor(60, TimeUnit.SECONDS);
            List<JsonNode> lines = jsonLines(stdout);

            assertThat(readyAfterStart).as("ready after start").isTrue();
            assertThat(checkWhileServing).isEqualTo(200);
            assertThat(unreadyAfterSigterm).as("readiness 503 within 2 s of SIGTERM").isTrue();
            assertThat(liveWhileDraining).isEqualTo(200);
            assertThat(checkWhileDraining).isEqualTo(200);
            assertThat(exited).as("process exited").isTrue();
            assertThat(lines).anySatisfy(line -> assertThat(line.path("message").asText())
                    .isEqualTo("shutdown started, draining: readiness fails now, server stops in"
                            + " drainPeriodMs=3000"));
            assertThat(lines).anySatisfy(line -> assertThat(line.path("uri").asText())
                    .isEqualTo("/v1/orgs/drain-test/checks"));
        } finally {
            service.destroyForcibly();
            Files.deleteIfExists(stdout);
        }
    }

    private static Process start(int port, int adminPort, Path stdout) throws IOException {
        return ServiceProcesses.start(port, adminPort, ADMIN_KEY,
                Map.of("LOG_FORMAT", "json", "DRAIN_PERIOD", "3s"), ProcessBuilder.Redirect.to(stdout.toFile()));
    }

    /** Every line the process wrote to stdout, each of which must be a JSON object. */
    private static List<JsonNode> jsonLines(Path stdout) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stdout)) {
            if (!line.isBlank()) {
                JsonNode json = parse(line);
                assertThat(json.isObject()).as("a JSON object line: %s", line).isTrue();
                lines.add(json);
            }
        }
        return lines;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static int check(int port) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/orgs/drain-test/checks"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"estimatedTokens\":1}"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int status(int adminPort, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean awaitStatus(int adminPort, String path, int expected, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (status(adminPort, path) == expected) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
