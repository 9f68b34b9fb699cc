package ai.ratelimiter.organizations;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import org.junit.jupiter.api.Test;

class LocalWindowsTest {

    private static final long MIDNIGHT = 1_796_342_400_000L; // 2026-12-04T00:00:00Z
    private static final Limits WHOLE = new Limits(10, 1000, 100, 10_000);

    private final LocalWindows windows = new LocalWindows();

    @Test
    void shareRoundsEachLimitDown() {
        assertThat(LocalWindows.share(new Limits(5, 1001, 3, 0), 0.5)).isEqualTo(new Limits(2, 500, 1, 0));
    }

    @Test
    void requestsPerMinuteAreEnforcedWithTheOldestEntrysExpiry() {
        Limits share = LocalWindows.share(WHOLE, 0.5);
        long t = MIDNIGHT + 3_600_000;
        for (int i = 0; i < 5; i++) {
            assertThat(windows.check("r" + i, 1, WHOLE, share, t + i).outcome()).isEqualTo(Outcome.ALLOWED);
        }

        OperationResult denied = windows.check("r5", 1, WHOLE, share, t + 10);
        OperationResult later = windows.check("r6", 1, WHOLE, share, t + 60_000);

        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_RPM);
        assertThat(denied.retryAfterMs()).isEqualTo(59_990);
        assertThat(later.outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void tokenWaitCoversAsManyEntriesAsNeeded() {
        Limits share = new Limits(100, 300, 1000, 100_000);
        long t = MIDNIGHT + 3_600_000;
        windows.check("a", 100, WHOLE, share, t);
        windows.check("b", 100, WHOLE, share, t + 1_000);
        windows.check("c", 100, WHOLE, share, t + 2_000);

        OperationResult denied = windows.check("d", 150, WHOLE, share, t + 3_000);

        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_TPM);
        assertThat(denied.retryAfterMs()).isEqualTo(58_000);
    }

    @Test
    void usageReplacesTheEstimateAndFreesTokens() {
        Limits share = new Limits(100, 300, 1000, 100_000);
        long t = MIDNIGHT + 3_600_000;
        windows.check("a", 300, WHOLE, share, t);

        windows.recordUsage("a", 100, t + 1);
        OperationResult next = windows.check("b", 200, WHOLE, share, t + 2);

        assertThat(next.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(next.usage().minuteTokens()).isEqualTo(300);
    }

    @Test
    void dailyTotalsResetAtMidnightUtc() {
        Limits share = new Limits(100, 1000, 1, 100_000);
        windows.check("a", 1, WHOLE, share, MIDNIGHT - 1_000);

        OperationResult beforeMidnight = windows.check("b", 1, WHOLE, share, MIDNIGHT - 1);
        OperationResult atMidnight = windows.check("c", 1, WHOLE, share, MIDNIGHT);

        assertThat(beforeMidnight.reason()).isEqualTo(Reason.RATE_LIMIT_DAILY_REQUESTS);
        assertThat(beforeMidnight.retryAfterMs()).isEqualTo(1);
        assertThat(atMidnight.outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void estimateAboveTheWholeLimitIsTooLarge() {
        OperationResult result = windows.check("a", 1001, WHOLE, LocalWindows.share(WHOLE, 0.5), MIDNIGHT);

        assertThat(result.reason()).isEqualTo(Reason.REQUEST_TOO_LARGE);
        assertThat(result.retryAfterMs()).isEqualTo(-1);
    }
}
