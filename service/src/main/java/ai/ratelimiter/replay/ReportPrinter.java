package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Prints a replay's summary to stdout: decisions per organization, the fullest windows next to
 * the limits, with usage the statistics next to the sums sent, and the verdict. Stateless
 * apart from its stream.
 */
public final class ReportPrinter {

    static final List<String> REASONS = List.of("RATE_LIMIT_RPM", "RATE_LIMIT_TPM",
            "RATE_LIMIT_DAILY_REQUESTS", "RATE_LIMIT_DAILY_TOKENS", "REQUEST_TOO_LARGE");

    private final PrintStream out;

    public ReportPrinter(PrintStream out) {
        this.out = out;
    }

    public void print(ReplayResult result) {
        printHeading(result);
        printDecisions(result.organizations());
        printWindows(result.organizations(), result.options().usage());
        if (result.options().usage()) {
            printUsage(result.organizations());
        }
        printNotes(result);
        out.println("result: " + result.verdict());
        out.flush();
    }

    private void printHeading(ReplayResult result) {
        ReplayOptions options = result.options();
        SendStats send = result.send();
        out.printf("replay of %s: %d checks over %d organizations (round-robin), speedup %s,"
                        + " estimate factor %s, usage %s%n",
                result.traceName(), send.requests(), options.organizations(), plain(options.speedup()),
                plain(options.estimateFactor()), options.usage() ? "on" : "off");
        out.printf("schedule: last check due at %.1f s, all answered at %.1f s; send lag max %.1f ms,"
                        + " mean %.1f ms%n%n",
                send.scheduledNanos() / 1e9, send.elapsedNanos() / 1e9, send.maxLagNanos() / 1e6,
                send.meanLagNanos() / 1e6);
    }

    private void printDecisions(List<OrgSummary> organizations) {
        TextTable table = new TextTable("organization", "sent", "allowed", "denied", "RPM", "TPM",
                "RPD", "TPD", "TOO_LARGE", "errors");
        long[] totals = new long[9];
        for (OrgSummary org : organizations) {
            OrgTally.Counts counts = org.counts();
            long[] row = {counts.sent(), counts.allowed(), counts.denied(),
                counts.deniedFor(REASONS.get(0)), counts.deniedFor(REASONS.get(1)),
                counts.deniedFor(REASONS.get(2)), counts.deniedFor(REASONS.get(3)),
                counts.deniedFor(REASONS.get(4)), counts.errors()};
            for (int i = 0; i < row.length; i++) {
                totals[i] += row[i];
            }
            table.add(org.orgId(), row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]);
        }
        table.add("all", totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6],
                totals[7], totals[8]);
        out.println("decisions (denied by reason)");
        table.print(out);
        out.println();
    }

    private void printWindows(List<OrgSummary> organizations, boolean usage) {
        TextTable table = usage
                ? new TextTable("organization", "req/60s", "RPM", "tokens/60s", "estimates/60s", "TPM",
                        "req/day", "RPD", "tokens/day", "TPD", "verdict")
                : new TextTable("organization", "req/60s", "RPM", "tokens/60s", "TPM", "req/day", "RPD",
                        "tokens/day", "TPD", "verdict");
        for (OrgSummary org : organizations) {
            Limits limits = org.limits();
            String rpm = limit(limits, Limits::requestsPerMinute);
            String tpm = limit(limits, Limits::tokensPerMinute);
            String rpd = limit(limits, Limits::requestsPerDay);
            String tpd = limit(limits, Limits::tokensPerDay);
            String verdict = limits == null ? "limits unknown"
                    : org.exceededLimits().isEmpty() ? "ok" : "EXCEEDED " + String.join(",", org.exceededLimits());
            if (usage) {
                table.add(org.orgId(), org.minute().requests(), rpm, org.minute().tokens(),
                        org.minuteEstimates().tokens(), tpm, org.day().requests(), rpd, org.day().tokens(),
                        tpd, verdict);
            } else {
                table.add(org.orgId(), org.minute().requests(), rpm, org.minute().tokens(), tpm,
                        org.day().requests(), rpd, org.day().tokens(), tpd, verdict);
            }
        }
        out.println("fullest windows, on the service's decision instants, next to the limits");
        table.print(out);
        out.println();
    }

    private void printUsage(List<OrgSummary> organizations) {
        TextTable table = new TextTable("organization", "records sent", "stats requests",
                "input sent", "stats input", "output sent", "stats output", "match");
        for (OrgSummary org : organizations) {
            UsageTotals sent = org.counts().usageAcknowledged();
            UsageTotals stats = org.usageStats();
            String match = stats == null ? "stats unknown" : org.usageDiffers() ? "DIFFERS" : "yes";
            table.add(org.orgId(), sent.requests(), stats == null ? "-" : stats.requests(),
                    sent.inputTokens(), stats == null ? "-" : stats.inputTokens(), sent.outputTokens(),
                    stats == null ? "-" : stats.outputTokens(), match);
        }
        out.println("usage records acknowledged (201/200) next to GET /usage/stats totals");
        table.print(out);
        out.println();
    }

    private void printNotes(ReplayResult result) {
        out.println("notes: a check allowed at decidedAtMs t (Redis clock) counts for [t, t+60000) ms;"
                + " days are UTC days.");
        if (result.options().usage()) {
            out.println("  tokens/60s and tokens/day count actual tokens for checks whose usage record was"
                    + " acknowledged");
            out.println("  (reconciliation replaced the estimate), the estimate otherwise, and never more"
                    + " than the estimate,");
            out.println("  since the limiter cannot refuse an overrun it learns of afterwards."
                    + " estimates/60s sums the estimates:");
            out.println("  it may pass TPM, because reconciliation gave back the unused part of each"
                    + " estimate.");
        }
        for (OrgSummary org : result.organizations()) {
            OrgTally.Counts counts = org.counts();
            if (counts.errors() > 0) {
                out.println("  errors " + org.orgId() + ": " + describe(counts.errorsByKind()));
            }
            Map<String, Long> otherReasons = new TreeMap<>(counts.deniedByReason());
            otherReasons.keySet().removeAll(REASONS);
            if (!otherReasons.isEmpty()) {
                out.println("  other denial reasons " + org.orgId() + ": " + describe(otherReasons));
            }
            if (counts.duplicates() > 0) {
                out.println("  duplicates " + org.orgId() + ": " + counts.duplicates()
                        + " allowed answers repeated an earlier decision and consumed nothing");
            }
        }
        for (String problem : result.problems()) {
            out.println("  " + problem);
        }
    }

    private static String limit(Limits limits, Function<Limits, Long> value) {
        return limits == null ? "?" : Long.toString(value.apply(limits));
    }

    private static String describe(Map<String, Long> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((kind, count) -> text.append(text.length() == 0 ? "" : ", ").append(kind)
                .append('=').append(count));
        return text.toString();
    }

    /** 30.0 as "30", 1.5 as "1.5". */
    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
