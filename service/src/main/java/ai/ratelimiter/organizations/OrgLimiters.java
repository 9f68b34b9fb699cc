package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The entry point to the organizations' limiters for code outside the actor system: each
 * call sends a message to the organization's limiter and completes when it answers. The
 * actor system lives as long as the application. Thread-safe.
 */
public final class OrgLimiters implements Managed {

    private final ActorSystem<OrgLimiterRegistry.Command> system;
    private final Duration askTimeout;

    public OrgLimiters(OrgLimiter.Dependencies dependencies, Duration askTimeout, String systemName) {
        this.system = ActorSystem.create(OrgLimiterRegistry.create(dependencies), systemName);
        this.askTimeout = askTimeout;
    }

    public CompletionStage<LimiterReply> check(String orgId, String requestId, long estimatedTokens) {
        return ask(orgId, replyTo -> new OrgLimiter.Check(requestId, estimatedTokens, replyTo));
    }

    public CompletionStage<LimiterReply> recordUsage(String orgId, String requestId, long actualTokens) {
        return ask(orgId, replyTo -> new OrgLimiter.RecordUsage(requestId, actualTokens, replyTo));
    }

    public CompletionStage<LimiterReply> status(String orgId) {
        return ask(orgId, OrgLimiter.ReadStatus::new);
    }

    /** Tells the organization's active limiter, if any, to use these limits from now on. */
    public void limitsChanged(String orgId, Limits limits) {
        system.tell(new OrgLimiterRegistry.LimitsChanged(orgId, limits));
    }

    /** Tells every active limiter to load its limits again. */
    public void reloadAll() {
        system.tell(OrgLimiterRegistry.ReloadAll.INSTANCE);
    }

    public CompletionStage<Integer> countActive() {
        return AskPattern.ask(system, OrgLimiterRegistry.CountActive::new, askTimeout,
                system.scheduler());
    }

    private CompletionStage<LimiterReply> ask(String orgId,
            Function<ActorRef<LimiterReply>, OrgLimiter.Command> command) {
        CompletionStage<LimiterReply> reply = AskPattern.ask(system,
                replyTo -> new OrgLimiterRegistry.Deliver(orgId, command.apply(replyTo)),
                askTimeout, system.scheduler());
        return reply.exceptionally(failure ->
                new LimiterReply.Unavailable("limiter did not answer in time"));
    }

    @Override
    public void start() {
        // The actor system starts in the constructor; nothing more to do.
    }

    @Override
    public void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
