package ai.ratelimiter.windows;

/**
 * The script's answer to one operation.
 *
 * @param reason why a check was denied, or {@code null} when it was not
 * @param retryAfterMs how long until the same check could pass, or -1 when waiting cannot help
 *     or nothing was denied
 * @param usage what the windows hold right after this operation
 */
public record OperationResult(Outcome outcome, Reason reason, long retryAfterMs, WindowUsage usage) {
}
