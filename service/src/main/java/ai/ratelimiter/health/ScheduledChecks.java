package ai.ratelimiter.health;

import io.dropwizard.health.DefaultHealthFactory;
import io.dropwizard.health.HealthCheckConfiguration;
import io.dropwizard.health.HealthCheckType;
import io.dropwizard.health.HealthFactory;
import io.dropwizard.health.Schedule;
import io.dropwizard.util.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The health checks Dropwizard's health module runs on a schedule, and how often: liveness
 * rests on {@code actor-system} and {@code deadlocks} (type alive), readiness on
 * {@code replica} (type ready, critical); {@code redis} and {@code postgres} are scheduled so
 * that their state is known without waiting for them (type ready, not critical: they never
 * fail readiness). A {@code health:} block in the configuration replaces this default.
 */
public final class ScheduledChecks {

    public static final String REPLICA = "replica";
    public static final String ACTOR_SYSTEM = "actor-system";
    public static final String DEADLOCKS = "deadlocks";
    public static final String REDIS = "redis";
    public static final String POSTGRES = "postgres";

    private ScheduledChecks() {
    }

    /** Dropwizard's health module running the service's checks; its servlet is not served. */
    public static DefaultHealthFactory defaultFactory() {
        DefaultHealthFactory factory = new DefaultHealthFactory();
        factory.setHealthCheckConfigurations(List.of(
                check(REPLICA, HealthCheckType.READY, true, schedule(1, 1, 1)),
                // A wedged actor system gets two chances; a deadlock never heals by itself.
                check(ACTOR_SYSTEM, HealthCheckType.ALIVE, true, schedule(5, 2, 1)),
                check(DEADLOCKS, HealthCheckType.ALIVE, true, schedule(10, 1, 1)),
                check(REDIS, HealthCheckType.READY, false, schedule(5, 1, 1)),
                check(POSTGRES, HealthCheckType.READY, false, schedule(5, 1, 1))));
        // The probes are served on the admin port by ProbeServlet, not on the application port.
        factory.setHealthResponderFactory(new NoHealthResponderFactory());
        return factory;
    }

    /** The names of the checks {@code health} schedules. */
    public static List<String> namesIn(Optional<HealthFactory> health) {
        return health.filter(DefaultHealthFactory.class::isInstance)
                .map(DefaultHealthFactory.class::cast)
                .filter(DefaultHealthFactory::isEnabled)
                .map(factory -> factory.getHealthCheckConfigurations().stream()
                        .map(HealthCheckConfiguration::getName)
                        .toList())
                .orElse(List.of());
    }

    private static HealthCheckConfiguration check(String name, HealthCheckType type, boolean critical,
            Schedule schedule) {
        HealthCheckConfiguration check = new HealthCheckConfiguration();
        check.setName(name);
        check.setType(type);
        check.setCritical(critical);
        check.setSchedule(schedule);
        return check;
    }

    /**
     * @param intervalSeconds time between runs, healthy or not
     * @param failures consecutive failures that make a healthy check unhealthy
     * @param successes consecutive successes that make an unhealthy check healthy
     */
    private static Schedule schedule(int intervalSeconds, int failures, int successes) {
        Schedule schedule = new Schedule();
        schedule.setCheckInterval(Duration.seconds(intervalSeconds));
        schedule.setDowntimeInterval(Duration.seconds(intervalSeconds));
        schedule.setFailureAttempts(failures);
        schedule.setSuccessAttempts(successes);
        return schedule;
    }
}
