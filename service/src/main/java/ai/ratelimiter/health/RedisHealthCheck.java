package ai.ratelimiter.health;

import ai.ratelimiter.windows.WindowStore;
import com.codahale.metrics.health.HealthCheck;

/** Healthy while the window store answers a ping. */
public final class RedisHealthCheck extends HealthCheck {

    private final WindowStore store;

    public RedisHealthCheck(WindowStore store) {
        this.store = store;
    }

    @Override
    protected Result check() {
        return store.ping() ? Result.healthy() : Result.unhealthy("redis does not answer PING");
    }
}
