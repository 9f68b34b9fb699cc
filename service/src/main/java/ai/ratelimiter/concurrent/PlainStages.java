package ai.ratelimiter.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Turns the completion stages Pekko returns into plain {@link CompletableFuture}s.
 *
 * <p>Pekko converts its Scala futures into a {@code CompletableFuture} subclass that runs
 * every callback asynchronously on the default async pool; on a machine with two cores that
 * pool is "a new thread per task", so each check answered that way would start a thread.
 * Bridging once, on an executor we choose, keeps the rest of the chain on known threads.
 */
public final class PlainStages {

    /** Runs a callback on the thread that completed the stage; for cheap hand-offs only. */
    public static final Executor SAME_THREAD = Runnable::run;

    private PlainStages() {
    }

    /** A plain future completed with {@code stage}'s outcome, on {@code executor}. */
    public static <T> CompletableFuture<T> bridge(CompletionStage<T> stage, Executor executor) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        stage.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                plain.completeExceptionally(failure);
            } else {
                plain.complete(value);
            }
        }, executor);
        return plain;
    }
}
