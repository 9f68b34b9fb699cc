package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.OrgSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Routes messages to the limiter of their organization, starting one when none is active,
 * and forgets limiters that went idle. Its map is touched only by its own message handling.
 *
 * <p>An idle limiter asks to be passivated; the registry drops it from the map first and then
 * tells it to stop, so every message routed to it before that arrives ahead of the stop.
 * A message for the organization after that starts a fresh limiter.
 */
public final class OrgLimiterRegistry extends AbstractBehavior<OrgLimiterRegistry.Command> {

    /** Messages the registry understands. */
    public interface Command {
    }

    /** Deliver {@code command} to the organization's limiter, starting it if needed. */
    public record Deliver(String orgId, OrgLimiter.Command command) implements Command {
    }

    /** The organization's settings changed on this replica: tell its limiter, if active. */
    public record SettingsChanged(String orgId, OrgSettings settings) implements Command {
    }

    /** Another replica changed the organization's settings: its limiter, if active, reloads. */
    public record ReloadOrg(String orgId) implements Command {
    }

    /** Every active limiter loads its settings again (after a missed change notification). */
    public enum ReloadAll implements Command {
        INSTANCE
    }

    /** Report how many limiters are active. */
    public record CountActive(ActorRef<Integer> replyTo) implements Command {
    }

    /** Sent by an idle limiter that would like to stop. */
    record Passivate(String orgId, ActorRef<OrgLimiter.Command> limiter) implements Command {
    }

    private record LimiterStopped(String orgId, ActorRef<OrgLimiter.Command> limiter) implements Command {
    }

    private final OrgLimiter.Dependencies dependencies;
    private final Map<String, ActorRef<OrgLimiter.Command>> limiters = new HashMap<>();
    private long spawned;

    public static Behavior<Command> create(OrgLimiter.Dependencies dependencies) {
        return Behaviors.setup(context -> new OrgLimiterRegistry(context, dependencies));
    }

    private OrgLimiterRegistry(ActorContext<Command> context, OrgLimiter.Dependencies dependencies) {
        super(context);
        this.dependencies = dependencies;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Deliver.class, this::onDeliver)
                .onMessage(SettingsChanged.class, this::onSettingsChanged)
                .onMessage(ReloadOrg.class, this::onReloadOrg)
                .onMessageEquals(ReloadAll.INSTANCE, this::onReloadAll)
                .onMessage(CountActive.class, this::onCountActive)
                .onMessage(Passivate.class, this::onPassivate)
                .onMessage(LimiterStopped.class, this::onLimiterStopped)
                .build();
    }

    private Behavior<Command> onDeliver(Deliver message) {
        ActorRef<OrgLimiter.Command> limiter = limiters.get(message.orgId());
        if (limiter == null) {
            limiter = spawn(message.orgId());
        }
        limiter.tell(message.command());
        return this;
    }

    private ActorRef<OrgLimiter.Command> spawn(String orgId) {
        // Names are unique per spawn: a passivated limiter may still be finishing its work.
        Behavior<OrgLimiter.Command> behavior = Behaviors.supervise(
                OrgLimiter.create(orgId, dependencies, getContext().getSelf()))
                .onFailure(SupervisorStrategy.restart());
        ActorRef<OrgLimiter.Command> limiter = getContext().spawn(behavior, "org-" + (++spawned));
        getContext().watchWith(limiter, new LimiterStopped(orgId, limiter));
        limiters.put(orgId, limiter);
        dependencies.metrics().recordActiveLimiters(limiters.size());
        return limiter;
    }

    private Behavior<Command> onSettingsChanged(SettingsChanged message) {
        ActorRef<OrgLimiter.Command> limiter = limiters.get(message.orgId());
        if (limiter != null) {
            limiter.tell(new OrgLimiter.ApplySettings(message.settings()));
        }
        return this;
    }

    private Behavior<Command> onReloadOrg(ReloadOrg message) {
        ActorRef<OrgLimiter.Command> limiter = limiters.get(message.orgId());
        if (limiter != null) {
            limiter.tell(OrgLimiter.ReloadSettings.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onReloadAll() {
        limiters.values().forEach(limiter -> limiter.tell(OrgLimiter.ReloadSettings.INSTANCE));
        return this;
    }

    private Behavior<Command> onCountActive(CountActive message) {
        message.replyTo().tell(limiters.size());
        return this;
    }

    private Behavior<Command> onPassivate(Passivate message) {
        limiters.remove(message.orgId(), message.limiter());
        dependencies.metrics().recordActiveLimiters(limiters.size());
        message.limiter().tell(OrgLimiter.Stop.INSTANCE);
        return this;
    }

    private Behavior<Command> onLimiterStopped(LimiterStopped message) {
        limiters.remove(message.orgId(), message.limiter());
        dependencies.metrics().recordActiveLimiters(limiters.size());
        return this;
    }
}
