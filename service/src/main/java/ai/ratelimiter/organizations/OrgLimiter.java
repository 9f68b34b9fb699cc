package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.limits.LimitsSource;
import ai.ratelimiter.windows.BatchResult;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.WindowOperation;
import ai.ratelimiter.windows.WindowStore;
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
 * <p>It loads the organization's limits when it starts and holds messages until they arrive.
 * Operations that arrive while a script call is in flight wait and go together in the next
 * call, so a busy organization costs one Redis round trip per batch instead of one per
 * check. Redis and Postgres calls run on their own executors and come back as messages; the
 * state below is touched only by this actor's own message handling.
 */
public final class OrgLimiter extends AbstractBehavior<OrgLimiter.Command> {

    /** Messages the limiter understands. */
    public interface Command {
    }

    /** Check {@code estimatedTokens} and consume them if every window allows. */
    public record Check(String requestId, long estimatedTokens, ActorRef<LimiterReply> replyTo)
            implements Command {
    }

    /** Replace a check's estimate by the actual tokens, or count them as of now. */
    public record RecordUsage(String requestId, long actualTokens, ActorRef<LimiterReply> replyTo)
            implements Command {
    }

    /** Report what the windows hold without consuming anything. */
    public record ReadStatus(ActorRef<LimiterReply> replyTo) implements Command {
    }

    /** Use these limits from the next operation on (they changed in Postgres). */
    public record ApplyLimits(Limits limits) implements Command {
    }

    /** Load the limits again from Postgres. */
    public enum ReloadLimits implements Command {
        INSTANCE
    }

    /** Stop once the work in hand is done; sent by the registry after a passivation. */
    public enum Stop implements Command {
        INSTANCE
    }

    private record LimitsLoaded(Limits limits, long generation) implements Command {
    }

    private record LimitsLoadFailed(Throwable cause, long generation) implements Command {
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

    private final String orgId;
    private final LimiterSettings settings;
    private final LimitsSource limitsSource;
    private final WindowStore store;
    private final Executor storeExecutor;
    private final Executor databaseExecutor;
    private final LimiterMetrics metrics;
    private final ActorRef<OrgLimiterRegistry.Command> registry;
    private final TimerScheduler<Command> timers;
    private final StashBuffer<Command> stash;

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private Limits limits;
    private long limitsGeneration;
    private boolean inFlight;
    private boolean stopRequested;
    private boolean passivationRequested;
    private long lastActivityNanos = System.nanoTime();

    /** Dependencies every limiter shares, resolved once at start-up. */
    public record Dependencies(LimiterSettings settings, LimitsSource limitsSource, WindowStore store,
            Executor storeExecutor, Executor databaseExecutor, LimiterMetrics metrics) {
    }

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
        this.settings = dependencies.settings();
        this.limitsSource = dependencies.limitsSource();
        this.store = dependencies.store();
        this.storeExecutor = dependencies.storeExecutor();
        this.databaseExecutor = dependencies.databaseExecutor();
        this.metrics = dependencies.metrics();
        this.registry = registry;
        this.timers = timers;
        this.stash = stash;
        timers.startTimerWithFixedDelay(IdleTick.INSTANCE, settings.idleTimeout().dividedBy(2));
        loadLimits();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(LimitsLoaded.class, this::onLimitsLoaded)
                .onMessage(LimitsLoadFailed.class, this::onLimitsLoadFailed)
                .onMessageEquals(ReloadLimits.INSTANCE, this::onReloadLimits)
                .onMessage(ApplyLimits.class, this::onApplyLimits)
                .onMessageEquals(IdleTick.INSTANCE, this::onIdleTick)
                .onMessageEquals(Stop.INSTANCE, this::onStop)
                .onMessage(BatchFinished.class, this::onBatchFinished)
                .onMessage(Check.class, this::onCheck)
                .onMessage(RecordUsage.class, this::onRecordUsage)
                .onMessage(ReadStatus.class, this::onReadStatus)
                .build();
    }

    private void loadLimits() {
        long generation = ++limitsGeneration;
        getContext().pipeToSelf(
                CompletableFuture.supplyAsync(() -> limitsSource.load(orgId), databaseExecutor),
                (loaded, failure) -> failure == null
                        ? new LimitsLoaded(loaded, generation)
                        : new LimitsLoadFailed(failure, generation));
    }

    private Behavior<Command> onLimitsLoaded(LimitsLoaded message) {
        if (message.generation() == limitsGeneration) {
            limits = message.limits();
        }
        return unstashWhenReady();
    }

    private Behavior<Command> onLimitsLoadFailed(LimitsLoadFailed message) {
        if (message.generation() != limitsGeneration) {
            return this;
        }
        getContext().getLog().warn("limits load failed, using defaults and retrying: orgId={}"
                + " retryInMs={}", orgId, settings.loadRetry().toMillis(), message.cause());
        if (limits == null) {
            limits = settings.defaults();
        }
        timers.startSingleTimer(ReloadLimits.INSTANCE, settings.loadRetry());
        return unstashWhenReady();
    }

    private Behavior<Command> unstashWhenReady() {
        if (limits != null && !stash.isEmpty()) {
            return stash.unstashAll(this);
        }
        return this;
    }

    private Behavior<Command> onReloadLimits() {
        loadLimits();
        return this;
    }

    private Behavior<Command> onApplyLimits(ApplyLimits message) {
        // Newer than any load in flight: make such a load's result count for nothing.
        limitsGeneration++;
        limits = message.limits();
        return unstashWhenReady();
    }

    private Behavior<Command> onCheck(Check message) {
        return enqueue(new Waiting(WindowOperation.check(message.requestId(), message.estimatedTokens()),
                message.requestId(), message.replyTo()), message);
    }

    private Behavior<Command> onRecordUsage(RecordUsage message) {
        return enqueue(new Waiting(WindowOperation.usage(message.requestId(), message.actualTokens()),
                message.requestId(), message.replyTo()), message);
    }

    private Behavior<Command> onReadStatus(ReadStatus message) {
        return enqueue(new Waiting(null, null, message.replyTo()), message);
    }

    private Behavior<Command> enqueue(Waiting item, Command original) {
        lastActivityNanos = System.nanoTime();
        if (limits == null) {
            if (stash.isFull()) {
                item.replyTo().tell(new LimiterReply.Unavailable("limiter overloaded while loading limits"));
            } else {
                stash.stash(original);
            }
            return this;
        }
        if (waiting.size() >= settings.maxWaiting()) {
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
        List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), settings.maxBatchSize()));
        while (!waiting.isEmpty() && batch.size() < settings.maxBatchSize()) {
            batch.add(waiting.poll());
        }
        List<WindowOperation> operations = new ArrayList<>(batch.size());
        for (Waiting item : batch) {
            if (item.operation() != null) {
                operations.add(item.operation());
            }
        }
        Limits batchLimits = limits;
        long started = System.nanoTime();
        inFlight = true;
        getContext().pipeToSelf(
                CompletableFuture.supplyAsync(() -> store.apply(orgId, batchLimits, operations), storeExecutor),
                (result, failure) -> new BatchFinished(batch, result, failure, System.nanoTime() - started));
    }

    private Behavior<Command> onBatchFinished(BatchFinished message) {
        inFlight = false;
        if (message.failure() != null) {
            replyUnavailable(message);
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
        BatchResult result = message.result();
        metrics.recordBatch(result.results().size(), message.elapsedNanos());
        int next = 0;
        for (Waiting item : message.batch()) {
            OperationResult operationResult = null;
            if (item.operation() != null) {
                operationResult = result.results().get(next++);
                if (item.operation().kind() == WindowOperation.Kind.CHECK) {
                    metrics.recordDecision(operationResult);
                }
            }
            item.replyTo().tell(new LimiterReply.Done(item.requestId(), operationResult, limits,
                    result.snapshot()));
        }
    }

    private void replyUnavailable(BatchFinished message) {
        metrics.recordStoreFailure();
        Throwable cause = message.failure();
        getContext().getLog().warn("window store failed, answering unavailable: orgId={} operations={}"
                + " elapsedMs={} error={}", orgId, message.batch().size(),
                message.elapsedNanos() / 1_000_000, rootMessage(cause));
        for (Waiting item : message.batch()) {
            item.replyTo().tell(new LimiterReply.Unavailable("rate limit store unavailable"));
        }
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
                && idleNanos >= settings.idleTimeout().toNanos();
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
