package ai.ratelimiter.windows;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a replica answers to checks while Redis cannot be reached. */
public enum OutagePolicy {
    /** Answer 503 with Retry-After: no call goes ahead unmetered. */
    DENY,
    /** Allow every check, saying that no limit was applied. */
    ALLOW,
    /** Enforce this replica's configured share of each limit in memory. */
    LOCAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code deny}, {@code allow} or {@code local}, in any case. */
    @JsonCreator
    public static OutagePolicy parse(String text) {
        for (OutagePolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(text)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("outage policy must be one of deny, allow, local");
    }
}
