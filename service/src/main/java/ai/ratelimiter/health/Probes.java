package ai.ratelimiter.health;

import io.dropwizard.health.HealthCheckType;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStateView;
import java.util.ArrayList;
import java.util.List;

/**
 * Liveness and readiness, from the states the health scheduler last recorded, so that a
 * probe never waits for a check to run. Alive: every check of type alive is healthy. Ready:
 * alive, serving (not starting, not draining), and every critical check healthy; checks that
 * are not critical (Redis, Postgres) are reported but never make the replica unready.
 * Thread-safe.
 */
public final class Probes {

    private final ReplicaState state;
    private final HealthStateAggregator states;

    public Probes(ReplicaState state, HealthStateAggregator states) {
        this.state = state;
        this.states = states;
    }

    public Report liveness() {
        List<HealthStateView> alive = new ArrayList<>();
        for (HealthStateView view : sortedViews()) {
            if (view.getType() == HealthCheckType.ALIVE) {
                alive.add(view);
            }
        }
        boolean up = alive.stream().allMatch(HealthStateView::isHealthy);
        return new Report(up, state.phase(), alive);
    }

    public Report readiness() {
        List<HealthStateView> views = sortedViews();
        // Checks of type alive always count as critical.
        boolean criticalHealthy = views.stream()
                .filter(HealthStateView::isCritical)
                .allMatch(HealthStateView::isHealthy);
        boolean up = state.phase() == ReplicaState.Phase.SERVING && criticalHealthy;
        return new Report(up, state.phase(), views);
    }

    private List<HealthStateView> sortedViews() {
        List<HealthStateView> views = new ArrayList<>(states.healthStateViews());
        views.sort(null);
        return views;
    }

    /**
     * A probe's answer.
     *
     * @param up whether the probe passes
     * @param phase where the replica is in its life
     * @param checks the scheduled checks the answer considered, by name
     */
    public record Report(boolean up, ReplicaState.Phase phase, List<HealthStateView> checks) {
    }
}
