package ai.ratelimiter.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.health.HealthCheckType;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStateView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How liveness and readiness follow the replica's phase and the scheduled check states. */
class ProbesTest {

    private final ReplicaState state = new ReplicaState();
    private final States states = new States();
    private final Probes probes = new Probes(state, states);

    @Test
    void readinessFailsWhileStartingAndFromTheStartOfDrainingWhileLivenessHolds() {
        states.set("replica", HealthCheckType.READY, true, true);
        states.set("actor-system", HealthCheckType.ALIVE, true, true);

        boolean readyWhileStarting = probes.readiness().up();
        state.serverStarted();
        boolean readyWhileServing = probes.readiness().up();
        state.drainStarted();
        state.serverStarted();
        boolean readyWhileDraining = probes.readiness().up();

        assertThat(readyWhileStarting).isFalse();
        assertThat(readyWhileServing).isTrue();
        assertThat(readyWhileDraining).isFalse();
        assertThat(probes.liveness().up()).isTrue();
        assertThat(probes.readiness().phase()).isEqualTo(ReplicaState.Phase.DRAINING);
    }

    @Test
    void sharedDependenciesDownLeaveTheReplicaReady() {
        state.serverStarted();
        states.set("replica", HealthCheckType.READY, true, true);
        states.set("redis", HealthCheckType.READY, false, false);
        states.set("postgres", HealthCheckType.READY, false, false);

        Probes.Report readiness = probes.readiness();

        assertThat(readiness.up()).isTrue();
        assertThat(readiness.checks()).extracting(HealthStateView::getName, HealthStateView::isHealthy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("postgres", false),
                        org.assertj.core.groups.Tuple.tuple("redis", false),
                        org.assertj.core.groups.Tuple.tuple("replica", true));
    }

    @Test
    void anUnhealthyCriticalCheckFailsReadinessOnly() {
        state.serverStarted();
        states.set("replica", HealthCheckType.READY, true, false);
        states.set("actor-system", HealthCheckType.ALIVE, true, true);

        assertThat(probes.readiness().up()).isFalse();
        assertThat(probes.liveness().up()).isTrue();
    }

    @Test
    void aWedgedProcessFailsLivenessAndReadiness() {
        state.serverStarted();
        states.set("replica", HealthCheckType.READY, true, true);
        states.set("actor-system", HealthCheckType.ALIVE, true, false);
        states.set("deadlocks", HealthCheckType.ALIVE, true, true);

        Probes.Report liveness = probes.liveness();

        assertThat(liveness.up()).isFalse();
        assertThat(liveness.checks()).extracting(HealthStateView::getName)
                .containsExactly("actor-system", "deadlocks");
        assertThat(probes.readiness().up()).isFalse();
    }

    /** Scheduled check states set by the test, as the health module would record them. */
    private static final class States implements HealthStateAggregator {

        private final Map<String, HealthStateView> views = new LinkedHashMap<>();

        void set(String name, HealthCheckType type, boolean critical, boolean healthy) {
            views.put(name, new HealthStateView(name, healthy, type, critical));
        }

        @Override
        public Collection<HealthStateView> healthStateViews() {
            return views.values();
        }

        @Override
        public Optional<HealthStateView> healthStateView(String name) {
            return Optional.ofNullable(views.get(name));
        }
    }
}
