package ai.ratelimiter.replay;

import java.time.Instant;

/**
 * One request of a trace: when it arrived and how many tokens it read and wrote. Immutable.
 *
 * @param line the line of the trace file it came from, for messages
 * @param arrival the arrival instant; traces carry no time zone, so it is read as UTC and only
 *     differences between rows matter
 * @param inputTokens the trace's {@code ContextTokens}
 * @param outputTokens the trace's {@code GeneratedTokens}
 */
public record TraceRow(long line, Instant arrival, long inputTokens, long outputTokens) {

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
