package ai.ratelimiter.usage;

import com.codahale.metrics.health.HealthCheck;
import java.util.Optional;

/**
 * The {@code usage-writer} health check: unhealthy when the writer thread died or a usage
 * record has waited unanswered longer than the configured bound. Thread-safe.
 */
public final class UsageWriterHealthCheck extends HealthCheck {

    private final UsageWriter writer;

    public UsageWriterHealthCheck(UsageWriter writer) {
        this.writer = writer;
    }

    @Override
    protected Result check() {
        Optional<String> problem = writer.findProblem();
        return problem.map(Result::unhealthy)
                .orElseGet(() -> Result.healthy("queued=" + writer.queueDepth()));
    }
}
