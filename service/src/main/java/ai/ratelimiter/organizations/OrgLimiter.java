package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.limits.LimitsSource;
import ai.ratelimiter.limits.OrgSettings;
import ai.ratelimiter.windows.BatchResult;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.OutagePolicy;
import ai.ratelimiter.windows.StoreFailure;
import ai.ratelimiter.windows.WindowCalls;
import ai.ratelimiter.windows.WindowOperation;
import ai.ratelimiter.windows.WindowSnapshot;
import ai.ratelimiter.windows.WindowUsage;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The limiter of one organization: it owns all window work for that organization.
 *
 * <p>It loads the organization's settings when it starts and holds messages until they
 * arrive. Operations that arrive while a script call is in flight wait and go together in the
 * next call, so a busy organization costs one Redis round trip per batch instead of one per
 * check. It remembers a denial that only time can lift and answers it without Redis until
 * then. While Redis fails it answers by the organization's outage policy. Redis and Postgres
 * calls run elsewhere and come back as messages; the state below is touched only by this
 * actor's own message handling.
 */
public final class OrgLimiter extends AbstractBehavior<OrgLimiter.Command> {

    /** Messages the limiter understands. */
    public interface Command {
    }

    /**
     * Check {@code estimatedTokens} and consume them if every window allows.
     *
     * @param clientRequestId the caller chose the request id, so this may be a retry
     */
    public record Check(String requestId, boolean clientRequestId, long estimatedTokens,
            ActorRef<LimiterReply> replyTo) implements Command {
    }

    /** Replace a check's estimate by the actual tokens, or count them as of now. */
    public record RecordUsage(String requestId, long actualTokens, ActorRef<LimiterReply> replyTo)
            implements Command {
    }

    /** Report what the windows hold without consuming anything. */
    public record ReadStatus(ActorRef<LimiterReply> replyTo) implements Command {
    }

    /** Use these settings from the next operation on (they changed in Postgres). */
    public record ApplySettings(OrgSettings settings) implements Command {
    }

    /** Load the settings again from Postgres. */
    public enum ReloadSettings implements Command {
        INSTANCE
    }

    /** Stop once the work in hand is done; sent by the registry after a passivation. */
    public enum Stop implements Command {
        INSTANCE
    }

    private record SettingsLoaded(OrgSettings settings, long generation) implements Command {
    }

    private record SettingsLoadFailed(Throwable cause, long generation) implements Command {
    }

    private record BatchFinished(List<Waiting> batch, BatchResult result, Throwable failure,
            long elapsedNanos) implements Command {
    }

    private enum IdleTick implements Command {
        INSTANCE
    }

    /** An operation waiting for the next script call; {@code operation} is null for a read. */
    private record Waiting(WindowOperation operation, String requestId, ActorRef<LimiterReply> replyTo) {
    }

    /** Dependencies every limiter shares, resolved once at start-up. */
    public record Dependencies(LimiterSettings settings, LimitsSource limitsSource, WindowCalls windows,
            Executor databaseExecutor, LimiterMetrics metrics, Clock clock) {
    }

    private final String orgId;
    private final LimiterSettings config;
    private final Dependencies dependencies;
    private final ActorRef<OrgLimiterRegistry.Command> registry;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final DenialCache denials = new DenialCache();
    private OrgSettings settings;
    private long settingsGeneration;
    private boolean inFlight;
    private boolean stopRequested;
    private boolean passivationRequested;
    private long lastActivityNanos = System.nanoTime();
    private LocalWindows localWindows;

    public static Behavior<Command> create(String orgId, Dependencies dependencies,
            ActorRef<OrgLimiterRegistry.Command> registry) {
        return Behaviors.withStash(dependencies.settings().maxWaiting(), stash ->
                Behaviors.withTimers(timers ->
                        Behaviors.setup(context ->
                                new OrgLimiter(context, orgId, dependencies, registry, timers, stash))));
    }

    private OrgLimiter(ActorContext<Command> context, String orgId, Dependencies dependencies,
            ActorRef<OrgLimiterRegistry.Command> registry, TimerScheduler<Command> timers,
            StashBuffer<Command> stash) {
        super(context);
        this.orgId = orgId;
        this.config = dependencies.settings();
        this.dependencies = dependencies;
        this.registry = registry;
        this.timers = timers;
        this.stash = stash;
        timers.startTimerWithFixedDelay(IdleTick.INSTANCE, config.idleTimeout().dividedBy(2));
        loadSettings();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(SettingsLoaded.class, this::onSettingsLoaded)
                .onMessage(SettingsLoadFailed.class, this::onSettingsLoadFailed)
                .onMessageEquals(ReloadSettings.INSTANCE, this::onReloadSettings)
                .onMessage(ApplySettings.class, this::onApplySettings)
                .onMessageEquals(IdleTick.INSTANCE, this::onIdleTick)
                .onMessageEquals(Stop.INSTANCE, this::onStop)
                .onMessage(BatchFinished.class, this::onBatchFinished)
                .onMessage(Check.class, this::onCheck)
                .onMessage(RecordUsage.class, this::onRecordUsage)
                .onMessage(ReadStatus.class, this::onReadStatus)
                .build();
    }

    private void loadSettings() {
        long generation = ++settingsGeneration;
        getContext().pipeToSelf(
                CompletableFuture.supplyAsync(() -> dependencies.limitsSource().load(orgId),
                        dependencies.databaseExecutor()),
                (loaded, failure) -> failure == null
                        ? new SettingsLoaded(loaded, generation)
                        : new SettingsLoadFailed(failure, generation));
    }

    private Behavior<Command> onSettingsLoaded(SettingsLoaded message) {
        if (message.generation() == settingsGeneration) {
            useSettings(message.settings());
        }
        return unstashWhenReady();
    }

    private Behavior<Command> onSettingsLoadFailed(SettingsLoadFailed message) {
        if (message.generation() != settingsGeneration) {
            return this;
        }
        dependencies.metrics().recordLimitsLoadFailure();
        getContext().getLog().warn("limits load failed, using {} and retrying: orgId={} retryInMs={}",
                settings == null ? "defaults" : "last known limits", orgId, config.loadRetry().toMillis(),
                message.cause());
        if (settings == null) {
            useSettings(OrgSettings.of(config.defaults()));
        }
        timers.startSingleTimer(ReloadSettings.INSTANCE, config.loadRetry());
        return unstashWhenReady();
    }

    private Behavior<Command> onReloadSettings() {
        loadSettings();
        return this;
    }

    private Behavior<Command> onApplySettings(ApplySettings message) {
        // Newer than any load in flight: make such a load's result count for nothing.
        settingsGeneration++;
        useSettings(message.settings());
        return unstashWhenReady();
    }

    private void useSettings(OrgSettings next) {
        if (settings != null && !settings.equals(next)) {
            denials.clear();
        }
        settings = next;
    }

    private Behavior<Command> unstashWhenReady() {
        if (settings != null && !stash.isEmpty()) {
            return stash.unstashAll(this);
        }
        return this;
    }

    private Behavior<Command> onCheck(Check message) {
        if (settings != null && !message.clientRequestId()) {
            // A service-generated id cannot be a retry of an allowed check, so a remembered
            // denial answers it exactly as Redis would.
            long nowNanos = System.nanoTime();
            OperationResult remembered = denials.find(message.estimatedTokens(), nowNanos);
            if (remembered != null) {
                lastActivityNanos = nowNanos;
                dependencies.metrics().recordCachedDenial(remembered);
                message.replyTo().tell(new LimiterReply.Done(message.requestId(), remembered,
                        settings.limits(), denials.snapshot(nowNanos), false));
                return this;
            }
        }
        WindowOperation operation = WindowOperation.check(message.requestId(), message.estimatedTokens());
        return enqueue(new Waiting(operation, message.requestId(), message.replyTo()), message);
    }

    private Behavior<Command> onRecordUsage(RecordUsage message) {
        WindowOperation operation = WindowOperation.usage(message.requestId(), message.actualTokens());
        return enqueue(new Waiting(operation, message.requestId(), message.replyTo()), message);
    }

    private Behavior<Command> onReadStatus(ReadStatus message) {
        return enqueue(new Waiting(null, null, message.replyTo()), message);
    }

    private Behavior<Command> enqueue(Waiting item, Command original) {
        lastActivityNanos = System.nanoTime();
        if (settings == null) {
            if (stash.isFull()) {
                item.replyTo().tell(new LimiterReply.Unavailable("limiter overloaded while loading limits"));
            } else {
                stash.stash(original);
            }
            return this;
        }
        if (waiting.size() >= config.maxWaiting()) {
            item.replyTo().tell(new LimiterReply.Unavailable("limiter queue full"));
            return this;
        }
        waiting.add(item);
        if (!inFlight) {
            flush();
        }
        return this;
    }

    private void flush() {
        List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), config.maxBatchSize()));
        while (!waiting.isEmpty() && batch.size() < config.maxBatchSize()) {
            batch.add(waiting.poll());
        }
        List<WindowOperation> operations = new ArrayList<>(batch.size());
        for (Waiting item : batch) {
            if (item.operation() != null) {
                operations.add(item.operation());
            }
        }
        long started = System.nanoTime();
        inFlight = true;
        getContext().pipeToSelf(
                dependencies.windows().apply(orgId, settings.limits(), operations),
                (result, failure) -> new BatchFinished(batch, result, failure, System.nanoTime() - started));
    }

    private Behavior<Command> onBatchFinished(BatchFinished message) {
        inFlight = false;
        if (message.failure() != null) {
            answerByOutagePolicy(message);
        } else {
            replyDone(message);
        }
        if (!waiting.isEmpty()) {
            flush();
            return this;
        }
        return stopRequested ? Behaviors.stopped() : this;
    }

    private void replyDone(BatchFinished message) {
        if (localWindows != null) {
            getContext().getLog().info("redis answers again, local windows dropped: orgId={}", orgId);
            localWindows = null;
        }
        BatchResult result = message.result();
        long arrivedNanos = System.nanoTime();
        dependencies.metrics().recordBatch(result.results().size(), message.elapsedNanos());
        int next = 0;
        for (Waiting item : message.batch()) {
            OperationResult operationResult = null;
            if (item.operation() != null) {
                operationResult = result.results().get(next++);
                if (item.operation().kind() == WindowOperation.Kind.CHECK) {
                    dependencies.metrics().recordDecision(operationResult);
                    denials.remember(item.operation().tokens(), operationResult, result.snapshot(),
                            arrivedNanos);
                }
            }
            item.replyTo().tell(new LimiterReply.Done(item.requestId(), operationResult, settings.limits(),
                    result.snapshot(), false));
        }
    }

    private void answerByOutagePolicy(BatchFinished message) {
        StoreFailure failure = StoreFailure.classify(message.failure());
        OutagePolicy policy = settings.outagePolicyOverride().orElse(config.outagePolicy());
        dependencies.metrics().recordStoreFailure(failure);
        if (failure != StoreFailure.CIRCUIT_OPEN) {
            getContext().getLog().warn("window store failed, applying outage policy: orgId={} failure={}"
                    + " policy={} operations={} elapsedMs={} error={}", orgId, failure, policy.wireName(),
                    message.batch().size(), message.elapsedNanos() / 1_000_000, rootMessage(message.failure()));
        }
        for (Waiting item : message.batch()) {
            item.replyTo().tell(outageReply(item, policy));
        }
    }

    private LimiterReply outageReply(Waiting item, OutagePolicy policy) {
        WindowOperation operation = item.operation();
        if (operation == null) {
            return new LimiterReply.Unavailable("rate limit store unavailable");
        }
        long nowMs = dependencies.clock().millis();
        Limits limits = settings.limits();
        if (policy == OutagePolicy.LOCAL) {
            if (localWindows == null) {
                localWindows = new LocalWindows();
            }
            OperationResult result;
            if (operation.kind() == WindowOperation.Kind.CHECK) {
                Limits share = LocalWindows.share(limits, config.localShare());
                result = localWindows.check(operation.requestId(), operation.tokens(), limits, share, nowMs);
                dependencies.metrics().recordDecision(result);
            } else {
                localWindows.recordUsage(operation.requestId(), operation.tokens(), nowMs);
                result = new OperationResult(Outcome.COUNTED, null, -1, localWindows.usage());
            }
            return new LimiterReply.Done(item.requestId(), result, limits, localSnapshot(nowMs), true);
        }
        if (policy == OutagePolicy.ALLOW && operation.kind() == WindowOperation.Kind.CHECK) {
            OperationResult allowed = new OperationResult(Outcome.ALLOWED, null, -1, WindowUsage.EMPTY);
            dependencies.metrics().recordDecision(allowed);
            return new LimiterReply.Done(item.requestId(), allowed, limits, localSnapshot(nowMs), true);
        }
        return new LimiterReply.Unavailable("rate limit store unavailable");
    }

    private WindowSnapshot localSnapshot(long nowMs) {
        WindowUsage usage = localWindows == null ? WindowUsage.EMPTY : localWindows.usage();
        long dayResetMs = 86_400_000 - Math.floorMod(nowMs, 86_400_000L);
        return new WindowSnapshot(nowMs, usage, 0, dayResetMs);
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private Behavior<Command> onIdleTick() {
        long idleNanos = System.nanoTime() - lastActivityNanos;
        boolean idle = !inFlight && waiting.isEmpty() && stash.isEmpty()
                && idleNanos >= config.idleTimeout().toNanos();
        if (idle && !passivationRequested) {
            passivationRequested = true;
            registry.tell(new OrgLimiterRegistry.Passivate(orgId, getContext().getSelf()));
        }
        return this;
    }

    private Behavior<Command> onStop() {
        if (inFlight || !waiting.isEmpty()) {
            stopRequested = true;
            return this;
        }
        return Behaviors.stopped();
    }
}
