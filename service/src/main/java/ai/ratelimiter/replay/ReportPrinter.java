package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

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
                result.traceName(), send.requests(), options.organizations(),
                plain(options.speedup()), plain(options.estimateFactor()),
                options.usage() ? "on" : "off");
        out.printf("schedule: last check due at %.1f s, all answered at %.1f s;"
                        + " send lag max %.1f ms, mean %.1f ms%n%n",
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
            table.add(org.orgId(), row);
        }
        table.add("all", totals);
        out.println("decisions (denied by reason)");
        table.print(out);
        out.println();
    }

    private void printWindows(List<OrgSummary> organizations, boolean usage) {
        List<String> header = new ArrayList<>(
                List.of("organization", "req/60s", "RPM", "tokens/60s"));
        if (usage) {
            header.add("estimates/60s");
        }
        header.addAll(List.of("TPM", "req/day", "RPD", "tokens/day", "TPD", "verdict"));
        TextTable table = new TextTable(header.toArray(new String[0]));
        for (OrgSummary org : organizations) {
            Limits limits = org.limits();
            List<Object> row = new ArrayList<>(List.of(org.orgId(), org.minute().requests(),
                    limit(limits, Limits::requestsPerMinute), org.minute().tokens()));
            if (usage) {
                row.add(org.minuteEstimates().tokens());
            }
            row.addAll(List.of(limit(limits, Limits::tokensPerMinute), org.day().requests(),
                    limit(limits, Limits::requestsPerDay), org.day().tokens(),
                    limit(limits, Limits::tokensPerDay), verdict(org)));
            table.add(row.toArray());
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
            if (stats == null) {
                table.add(org.orgId(), sent.requests(), "-", sent.inputTokens(), "-",
                        sent.outputTokens(), "-", "stats unknown");
            } else {
                table.add(org.orgId(), sent.requests(), stats.requests(), sent.inputTokens(),
                        stats.inputTokens(), sent.outputTokens(), stats.outputTokens(),
                        org.usageDiffers() ? "DIFFERS" : "yes");
            }
        }
        out.println("usage records acknowledged (201/200) next to GET /usage/stats totals");
        table.print(out);
        out.println();
    }

    private void printNotes(ReplayResult result) {
        out.println("notes: a check allowed at decidedAtMs t (Redis clock) counts for"
                + " [t, t+60000) ms; days are UTC days.");
        if (result.options().usage()) {
            out.println("  tokens/60s and tokens/day count the actual tokens of checks whose"
                    + " usage record was acknowledged");
            out.println("  (reconciliation replaced the estimate), otherwise the estimate, and"
                    + " never more than the estimate:");
            out.println("  the limiter cannot refuse an overrun it learns of afterwards."
                    + " estimates/60s sums the estimates;");
            out.println("  it may pass TPM, since reconciliation gave back the unused part of"
                    + " each estimate.");
        }
        for (OrgSummary org : result.organizations()) {
            printOrgNotes(org);
        }
        for (String problem : result.problems()) {
            out.println("  " + problem);
        }
    }

    private void printOrgNotes(OrgSummary org) {
        OrgTally.Counts counts = org.counts();
        if (counts.errors() > 0) {
            out.println("  errors " + org.orgId() + ": " + describe(counts.errorsByKind()));
        }
        Map<String, Long> otherReasons = new TreeMap<>(counts.deniedByReason());
        otherReasons.keySet().removeAll(REASONS);
        if (!otherReasons.isEmpty()) {
            out.println("  other denial reasons " + org.orgId() + ": " + describe(otherReasons));
        }
        if (counts.allowedWithoutRedis() > 0) {
            out.println("  without Redis " + org.orgId() + ": " + counts.allowedWithoutRedis()
                    + " checks allowed by the outage policy, in no window and not judged");
        }
        if (counts.duplicates() > 0) {
            out.println("  duplicates " + org.orgId() + ": " + counts.duplicates()
                    + " allowed answers repeated an earlier decision and consumed nothing");
        }
    }

    private static String verdict(OrgSummary org) {
        if (org.limits() == null) {
            return "limits unknown";
        }
        return org.exceeded() ? "EXCEEDED " + String.join(",", org.exceededLimits()) : "ok";
    }

    private static String limit(Limits limits, ToLongFunction<Limits> value) {
        return limits == null ? "?" : Long.toString(value.applyAsLong(limits));
    }

    private static String describe(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, count) -> parts.add(kind + "=" + count));
        return String.join(", ", parts);
    }

    /** 30.0 as "30", 1.5 as "1.5". */
    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
