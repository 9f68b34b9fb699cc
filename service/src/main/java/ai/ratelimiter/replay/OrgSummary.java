package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * One organization's outcome: its decisions, its fullest windows, its limits and, with usage,
 * the statistics next to the records acknowledged. Immutable.
 *
 * @param limits the limits the service reported after the replay; {@code null} when it did not
 * @param minute the fullest sliding minute; tokens as {@link Admission#boundedTokens()}
 * @param minuteEstimates the fullest sliding minute counting each check's estimate; with
 *     usage it may pass the TPM limit, since reconciliation gave the unused estimate back
 * @param day the fullest UTC day; tokens as {@link Admission#boundedTokens()}
 * @param usageStats the service's usage statistics totals; {@code null} without usage, or when
 *     they could not be read
 */
public record OrgSummary(String orgId, OrgTally.Counts counts, Limits limits, Peak minute,
        Peak minuteEstimates, Peak day, UsageTotals usageStats) {

    /** Names of the limits some window exceeded, for example {@code RPM}; empty when none did. */
    public List<String> exceededLimits() {
        List<String> exceeded = new ArrayList<>();
        if (limits == null) {
            return exceeded;
        }
        if (minute.requests() > limits.requestsPerMinute()) {
            exceeded.add("RPM");
        }
        if (minute.tokens() > limits.tokensPerMinute()) {
            exceeded.add("TPM");
        }
        if (day.requests() > limits.requestsPerDay()) {
            exceeded.add("RPD");
        }
        if (day.tokens() > limits.tokensPerDay()) {
            exceeded.add("TPD");
        }
        return exceeded;
    }

    public boolean exceeded() {
        return !exceededLimits().isEmpty();
    }

    /** With usage: statistics were read and differ from the records acknowledged. */
    public boolean usageDiffers() {
        return usageStats != null && !usageStats.equals(counts.usageAcknowledged());
    }
}
