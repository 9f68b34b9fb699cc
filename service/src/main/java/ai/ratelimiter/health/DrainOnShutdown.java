package ai.ratelimiter.health;

import io.dropwizard.health.DelayedShutdownHandler;
import io.dropwizard.health.ShutdownNotifier;
import java.time.Duration;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.ShutdownThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On SIGTERM, before the server stops accepting: marks the replica draining, so readiness
 * fails and load balancers take it out of rotation, and waits {@code drainPeriod} while it
 * still answers whatever arrives. Dropwizard's {@link DelayedShutdownHandler} runs it first
 * among Jetty's shutdown hooks; the server and the managed objects stop after it.
 */
public final class DrainOnShutdown implements ShutdownNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(DrainOnShutdown.class);

    private final ReplicaState state;
    private final Duration drainPeriod;

    public DrainOnShutdown(ReplicaState state, Duration drainPeriod) {
        this.state = state;
        this.drainPeriod = drainPeriod;
    }

    /**
     * Runs this on SIGTERM from now on, until the server stops by other means (as in tests,
     * which stop servers without ending the JVM). A zero drain period registers nothing.
     */
    public void register(LifeCycle server) {
        if (drainPeriod.isZero()) {
            return;
        }
        DelayedShutdownHandler handler = new DelayedShutdownHandler(this);
        handler.register();
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopped(LifeCycle event) {
                ShutdownThread.deregister(handler);
            }
        });
    }

    @Override
    public void notifyShutdownStarted() throws InterruptedException {
        state.drainStarted();
        LOG.info("shutdown started, draining: readiness fails now, server stops in drainPeriodMs={}",
                drainPeriod.toMillis());
        Thread.sleep(drainPeriod.toMillis());
        LOG.info("drain period over, stopping the server");
    }
}
