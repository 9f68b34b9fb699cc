package ai.ratelimiter.usage;

/**
 * What storing one usage record came to, once its transaction committed.
 *
 * @param stored the record as it is stored: the new one, or the one stored earlier under the
 *     same request id
 */
public record WriteOutcome(Kind kind, UsageRecord stored) {

    /** How the record's request id related to what was already stored. */
    public enum Kind {
        /** Stored now, for the first time. */
        CREATED,
        /** Stored earlier with the same content; nothing new was stored. */
        REPEATED,
        /** Stored earlier with different content; nothing was changed. */
        CONFLICT
    }

    public static WriteOutcome created(UsageRecord stored) {
        return new WriteOutcome(Kind.CREATED, stored);
    }

    public static WriteOutcome repeated(UsageRecord stored) {
        return new WriteOutcome(Kind.REPEATED, stored);
    }

    public static WriteOutcome conflict(UsageRecord stored) {
        return new WriteOutcome(Kind.CONFLICT, stored);
    }
}
