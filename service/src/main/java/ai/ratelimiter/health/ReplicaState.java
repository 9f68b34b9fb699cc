package ai.ratelimiter.health;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where this replica is in its life: starting until the server has started, then serving,
 * then draining from the moment shutdown begins. Readiness follows it. Thread-safe.
 */
public final class ReplicaState {

    /** The phases, in the only order they happen. */
    public enum Phase {
        STARTING,
        SERVING,
        DRAINING
    }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

    /** The server accepts connections: serve, unless shutdown already began. */
    public void serverStarted() {
        phase.compareAndSet(Phase.STARTING, Phase.SERVING);
    }

    /** Shutdown began: stay out of rotation for good. */
    public void drainStarted() {
        phase.set(Phase.DRAINING);
    }

    public Phase phase() {
        return phase.get();
    }
}
