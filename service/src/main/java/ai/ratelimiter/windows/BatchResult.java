package ai.ratelimiter.windows;

import java.util.List;

/** The answers to a batch of operations, in order, and the windows' state after the batch. */
public record BatchResult(List<OperationResult> results, WindowSnapshot snapshot) {
}
