package ai.ratelimiter.windows;

/**
 * The state of an organization's windows after a script call, on the Redis clock.
 *
 * @param nowMs the script's clock reading in ms since the epoch
 * @param minuteResetMs time until every entry has left the minute window
 * @param dayResetMs time until 00:00 UTC, when the daily totals reset
 */
public record WindowSnapshot(long nowMs, WindowUsage usage, long minuteResetMs, long dayResetMs) {
}
