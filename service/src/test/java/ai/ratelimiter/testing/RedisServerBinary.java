package ai.ratelimiter.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * Finds a {@code redis-server} binary that runs on this machine: the one named by
 * {@code TEST_REDIS_SERVER} when set, else the one the embedded-redis artifact ships (so tests
 * need no installed Redis), else an installed one. Each candidate must answer
 * {@code --version}, since a shipped binary can miss a shared library the machine lacks.
 */
final class RedisServerBinary {

    private static final long PROBE_TIMEOUT_SECONDS = 10;

    private RedisServerBinary() {
    }

    /** A runnable redis-server, or empty when neither the artifact nor the machine has one. */
    static Optional<Path> find() {
        for (Path candidate : candidates()) {
            if (runs(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        String chosen = System.getenv("TEST_REDIS_SERVER");
        if (chosen != null && !chosen.isBlank()) {
            return List.of(Path.of(chosen));
        }
        shipped().ifPresent(candidates::add);
        candidates.add(Path.of("/usr/bin/redis-server"));
        candidates.add(Path.of("/usr/local/bin/redis-server"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (!directory.isBlank()) {
                    candidates.add(Path.of(directory, "redis-server"));
                }
            }
        }
        return candidates;
    }

    private static Optional<Path> shipped() {
        try {
            return Optional.of(ExecutableProvider.newJarResourceProvider().get().toPath());
        } catch (IOException | RuntimeException e) {
            // No binary for this operating system and architecture in the artifact.
            return Optional.empty();
        }
    }

    private static boolean runs(Path binary) {
        if (!Files.isExecutable(binary)) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
