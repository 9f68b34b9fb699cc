package ai.ratelimiter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.limits.Limits;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayResultTest {

    private static final Limits LIMITS = new Limits(5, 1000, 100, 10_000);
    private static final SendStats SEND = new SendStats(10, 0, 0, 0, 0);

    private static ReplayOptions options(boolean usage) {
        return ReplayOptions.builder(Path.of("trace.csv"), URI.create("http://127.0.0.1:8080"))
                .orgPrefix("org")
                .usage(usage)
                .build();
    }

    private static OrgSummary org(Peak minute, long errors, UsageTotals sent, UsageTotals stats) {
        Map<String, Long> errorsByKind = errors == 0 ? Map.of() : Map.of("HTTP 503", errors);
        OrgTally.Counts counts = new OrgTally.Counts(10, minute.requests(), 0, 0, 0, Map.of(),
                errors, errorsByKind, sent);
        return new OrgSummary("org-01", counts, LIMITS, minute, minute, minute, stats);
    }

    @Test
    void windowsWithinLimitsAndNoErrorsExitZero() {
        ReplayResult result = new ReplayResult(options(false), "trace.csv", SEND,
                List.of(org(new Peak(5, 1000), 0, UsageTotals.NONE, null)), List.of());

        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_OK);
    }

    @Test
    void oneRequestAboveTheRpmLimitExitsTwo() {
        OrgSummary org = org(new Peak(6, 1000), 0, UsageTotals.NONE, null);

        ReplayResult result = new ReplayResult(options(false), "trace.csv", SEND, List.of(org),
                List.of());

        assertThat(org.exceededLimits()).containsExactly("RPM");
        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_LIMIT_EXCEEDED);
    }

    @Test
    void usageStatisticsThatDifferExitTwoEvenWithErrors() {
        OrgSummary org = org(new Peak(5, 1000), 1, new UsageTotals(5, 100, 10),
                new UsageTotals(5, 100, 11));

        ReplayResult result = new ReplayResult(options(true), "trace.csv", SEND, List.of(org),
                List.of());

        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_LIMIT_EXCEEDED);
    }

    @Test
    void errorsWithinLimitsExitThree() {
        ReplayResult result = new ReplayResult(options(false), "trace.csv", SEND,
                List.of(org(new Peak(5, 1000), 2, UsageTotals.NONE, null)), List.of());

        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_HTTP_ERRORS);
    }

    @Test
    void checksAllowedWithoutRedisLeaveTheVerdictIncompleteAndExitThree() {
        OrgTally.Counts counts = new OrgTally.Counts(10, 5, 0, 5, 0, Map.of(), 0, Map.of(),
                UsageTotals.NONE);
        OrgSummary org = new OrgSummary("org-01", counts, LIMITS, new Peak(5, 10), new Peak(5, 10),
                new Peak(5, 10), null);

        ReplayResult result = new ReplayResult(options(false), "trace.csv", SEND, List.of(org),
                List.of());

        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_HTTP_ERRORS);
    }

    @Test
    void unreadableStatisticsExitThree() {
        ReplayResult result = new ReplayResult(options(true), "trace.csv", SEND,
                List.of(org(new Peak(5, 1000), 0, new UsageTotals(5, 100, 10), null)),
                List.of("usage statistics of org-01 could not be read"));

        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_HTTP_ERRORS);
    }
}
