package ai.ratelimiter.usage;

/**
 * A validated usage record on its way to the store.
 *
 * @param occurredAtGiven whether the client named the instant, rather than the service
 *     choosing "now"; only a given instant takes part in the same-content comparison of a
 *     repeated request id
 */
public record IncomingUsage(UsageRecord record, boolean occurredAtGiven) {
}
