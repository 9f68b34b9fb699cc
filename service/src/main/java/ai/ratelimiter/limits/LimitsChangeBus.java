package ai.ratelimiter.limits;

import io.dropwizard.lifecycle.Managed;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells every replica that an organization's limits changed, over Redis pub/sub: a replica
 * publishes the organization id after its change is committed in Postgres, and each replica
 * (itself included) reloads that organization's limits. Pub/sub delivers at most once, so
 * after every (re)subscription every replica reloads all its active organizations: a message
 * missed while disconnected leaves a replica stale only until the connection is back.
 *
 * <p>One thread holds the subscription; {@link #publish} may be called from any thread.
 */
public final class LimitsChangeBus implements Managed {

    static final String CHANNEL = "ai-rate-limiter:limits-changed";

    private static final Logger LOG = LoggerFactory.getLogger(LimitsChangeBus.class);
    private static final long RESUBSCRIBE_PAUSE_MS = 500;

    private final UnifiedJedis redis;
    private final Consumer<String> onOrgChanged;
    private final Runnable onResubscribed;
    private final Subscription subscription = new Subscription();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param onOrgChanged called with the organization id of every change announced
     * @param onResubscribed called after each (re)subscription, when messages may have been missed
     */
    public LimitsChangeBus(UnifiedJedis redis, Consumer<String> onOrgChanged, Runnable onResubscribed) {
        this.redis = redis;
        this.onOrgChanged = onOrgChanged;
        this.onResubscribed = onResubscribed;
    }

    /** Announces a change; a failure is logged, and other replicas catch up on resubscription. */
    public void publish(String orgId) {
        try {
            redis.publish(CHANNEL, orgId);
        } catch (JedisException e) {
            LOG.warn("limits change not announced, other replicas keep old limits until they resubscribe:"
                    + " orgId={} error={}", orgId, e.getMessage());
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::subscribeUntilStopped, "limits-change-bus");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (subscription.isSubscribed()) {
            try {
                subscription.unsubscribe();
            } catch (JedisException e) {
                // Redis is unreachable, so the subscription's connection is already gone.
                LOG.debug("limits change unsubscribe failed while stopping: error={}", e.getMessage());
            }
        }
        thread.interrupt();
        thread.join(2_000);
    }

    private void subscribeUntilStopped() {
        boolean failedBefore = false;
        while (running) {
            try {
                redis.subscribe(subscription, CHANNEL);
            } catch (JedisException | IllegalStateException e) {
                if (running && !failedBefore) {
                    LOG.warn("limits change subscription lost, retrying every {}ms: error={}",
                            RESUBSCRIBE_PAUSE_MS, e.getMessage());
                }
                failedBefore = true;
            }
            if (!running) {
                return;
            }
            try {
                Thread.sleep(RESUBSCRIBE_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Subscription extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            LOG.info("limits change subscription active, reloading active organizations: channel={}", channel);
            onResubscribed.run();
        }

        @Override
        public void onMessage(String channel, String orgId) {
            onOrgChanged.accept(orgId);
        }
    }
}
