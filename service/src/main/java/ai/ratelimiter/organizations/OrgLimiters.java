package ai.ratelimiter.organizations;

import ai.ratelimiter.concurrent.PlainStages;
import ai.ratelimiter.limits.OrgSettings;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The entry point to the organizations' limiters for code outside the actor system: each
 * call sends a message to the organization's limiter and completes when it answers. It owns
 * the actor system, which lives as long as the application. Thread-safe.
 */
public final class OrgLimiters implements Managed {

    private final ActorSystem<Void> system;
    private final ActorRef<OrgLimiterRegistry.Command> registry;
    private final Duration askTimeout;
    private final Executor replyExecutor;

    /**
     * @param system an actor system created for the limiters; stopping this object ends it
     */
    public OrgLimiters(ActorSystem<Void> system, OrgLimiter.Dependencies dependencies, Duration askTimeout,
            Executor replyExecutor) {
        this.system = system;
        this.replyExecutor = replyExecutor;
        this.registry = system.systemActorOf(OrgLimiterRegistry.create(dependencies), "org-limiters",
                Props.empty());
        this.askTimeout = askTimeout;
    }

    /** An actor system with nothing in it yet, for {@link #OrgLimiters}. */
    public static ActorSystem<Void> newActorSystem(String name) {
        return ActorSystem.create(Behaviors.empty(), name);
    }

    /**
     * @param clientRequestId whether the caller chose {@code requestId} (so it may be a retry)
     */
    public CompletionStage<LimiterReply> check(String orgId, String requestId, boolean clientRequestId,
            long estimatedTokens) {
        return ask(orgId, replyTo -> new OrgLimiter.Check(requestId, clientRequestId, estimatedTokens, replyTo));
    }

    public CompletionStage<LimiterReply> recordUsage(String orgId, String requestId, long actualTokens) {
        return ask(orgId, replyTo -> new OrgLimiter.RecordUsage(requestId, actualTokens, replyTo));
    }

    public CompletionStage<LimiterReply> status(String orgId) {
        return ask(orgId, OrgLimiter.ReadStatus::new);
    }

    /** Tells the organization's active limiter, if any, to use these settings from now on. */
    public void settingsChanged(String orgId, OrgSettings settings) {
        registry.tell(new OrgLimiterRegistry.SettingsChanged(orgId, settings));
    }

    /** Tells the organization's active limiter, if any, to load its settings again. */
    public void reload(String orgId) {
        registry.tell(new OrgLimiterRegistry.ReloadOrg(orgId));
    }

    /** Tells every active limiter to load its settings again. */
    public void reloadAll() {
        registry.tell(OrgLimiterRegistry.ReloadAll.INSTANCE);
    }

    public CompletionStage<Integer> countActive() {
        return AskPattern.ask(registry, OrgLimiterRegistry.CountActive::new, askTimeout, system.scheduler());
    }

    /**
     * Asks the registry actor for an answer within {@code timeout}: the stage fails when the
     * actor system is wedged or gone. For liveness checks.
     */
    public CompletionStage<Integer> ping(Duration timeout) {
        return AskPattern.ask(registry, OrgLimiterRegistry.CountActive::new, timeout, system.scheduler());
    }

    private CompletionStage<LimiterReply> ask(String orgId,
            Function<ActorRef<LimiterReply>, OrgLimiter.Command> command) {
        CompletionStage<LimiterReply> reply = AskPattern.ask(registry,
                replyTo -> new OrgLimiterRegistry.Deliver(orgId, command.apply(replyTo)),
                askTimeout, system.scheduler());
        return PlainStages.bridge(reply, replyExecutor).exceptionally(failure ->
                new LimiterReply.Unavailable("limiter did not answer in time"));
    }

    @Override
    public void start() {
        // The actor system runs from construction; nothing more to do.
    }

    @Override
    public void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
