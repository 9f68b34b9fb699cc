package ai.ratelimiter.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import java.util.List;

/**
 * The {@code replica} health check, which readiness depends on: healthy while the components
 * this replica owns alone are healthy, such as its usage writer. Components are named by their
 * own health checks and counted only once registered. Redis and Postgres are deliberately not
 * among them: every replica shares them, so failing readiness for them would take every
 * replica out at once and turn the outage policy's answers into refused connections.
 */
public final class ReplicaReadinessCheck extends HealthCheck {

    private final HealthCheckRegistry registry;
    private final List<String> ownComponents;

    /**
     * @param ownComponents names of health checks of components only this replica depends on
     */
    public ReplicaReadinessCheck(HealthCheckRegistry registry, List<String> ownComponents) {
        this.registry = registry;
        this.ownComponents = List.copyOf(ownComponents);
    }

    @Override
    protected Result check() {
        for (String component : ownComponents) {
            if (registry.getNames().contains(component)) {
                Result result = registry.runHealthCheck(component);
                if (!result.isHealthy()) {
                    return Result.unhealthy(component + ": " + result.getMessage());
                }
            }
        }
        return Result.healthy();
    }
}
