package ai.ratelimiter.health;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStateView;
import java.util.Collection;

/**
 * A gauge {@code health.<name>.up} per scheduled health check: 1 while its last scheduled
 * result is healthy, 0 otherwise. It reads the state the health scheduler keeps, so a scrape
 * never waits for Redis or Postgres.
 */
public final class HealthGauges {

    private HealthGauges() {
    }

    /** Registers a gauge for each of the scheduled checks {@code names}. */
    public static void register(MetricRegistry metrics, HealthStateAggregator states,
            Collection<String> names) {
        for (String name : names) {
            metrics.register(MetricRegistry.name("health", name, "up"), (Gauge<Integer>) () ->
                    states.healthStateView(name).map(HealthGauges::up).orElse(null));
        }
    }

    private static Integer up(HealthStateView view) {
        return view.isHealthy() ? 1 : 0;
    }
}
