package ai.ratelimiter.replay;

import java.util.List;

/**
 * The outcome of a replay and the exit status it maps to. Immutable.
 *
 * @param traceName the trace file's name
 * @param organizations one summary per organization, in id order
 * @param problems what kept the replay from judging everything, for example limits or
 *     statistics the service did not answer with
 */
public record ReplayResult(ReplayOptions options, String traceName, SendStats send,
        List<OrgSummary> organizations, List<String> problems) {

    /** No window exceeded a limit, no HTTP errors, and with usage equal statistics. */
    public static final int EXIT_OK = 0;
    /** A window exceeded a limit, or (with usage) some statistics differ from the sums sent. */
    public static final int EXIT_LIMIT_EXCEEDED = 2;
    /**
     * Nothing exceeded or differed, but some calls failed (transport error, timeout, 5xx, other
     * unexpected status), limits or statistics could not be read, or the outage policy allowed
     * checks without Redis, so the verdict is partial.
     */
    public static final int EXIT_HTTP_ERRORS = 3;

    public int exitCode() {
        if (organizations.stream().anyMatch(org -> org.exceeded() || org.usageDiffers())) {
            return EXIT_LIMIT_EXCEEDED;
        }
        if (totalErrors() > 0 || !problems.isEmpty() || totalAllowedWithoutRedis() > 0) {
            return EXIT_HTTP_ERRORS;
        }
        return EXIT_OK;
    }

    public long totalErrors() {
        return organizations.stream().mapToLong(org -> org.counts().errors()).sum();
    }

    public long totalAllowedWithoutRedis() {
        return organizations.stream().mapToLong(org -> org.counts().allowedWithoutRedis()).sum();
    }

    /** One line that says why the exit status is what it is. */
    public String verdict() {
        long exceeded = organizations.stream().filter(OrgSummary::exceeded).count();
        long differing = organizations.stream().filter(OrgSummary::usageDiffers).count();
        String verdict = exceeded == 0 ? "no window exceeded its limit"
                : exceeded + " organization(s) had a window above its limit";
        if (options.usage()) {
            verdict += differing == 0 ? "; usage statistics equal the records sent"
                    : "; usage statistics differ for " + differing + " organization(s)";
        }
        verdict += "; " + totalErrors() + " HTTP error(s)";
        if (totalAllowedWithoutRedis() > 0) {
            verdict += "; " + totalAllowedWithoutRedis() + " allowed without Redis";
        }
        if (!problems.isEmpty()) {
            verdict += "; " + problems.size() + " unanswered read(s)";
        }
        return verdict + " (exit " + exitCode() + ")";
    }
}
