package ai.ratelimiter.replay;

/**
 * How faithfully the replay kept to its schedule. Immutable.
 *
 * @param scheduledNanos when the last request was due, after compression
 * @param elapsedNanos from the first send until the last answer arrived
 * @param maxLagNanos the latest any request went out after its due instant
 * @param meanLagNanos the mean of those delays
 */
public record SendStats(int requests, long scheduledNanos, long elapsedNanos, long maxLagNanos,
        long meanLagNanos) {
}
