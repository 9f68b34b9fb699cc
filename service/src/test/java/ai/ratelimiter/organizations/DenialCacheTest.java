package ai.ratelimiter.organizations;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.WindowSnapshot;
import ai.ratelimiter.windows.WindowUsage;
import org.junit.jupiter.api.Test;

class DenialCacheTest {

    private static final long MS = 1_000_000L;
    private static final WindowUsage FULL = new WindowUsage(5, 500, 5, 500);
    private static final WindowSnapshot SNAPSHOT = new WindowSnapshot(1_000_000, FULL, 60_000, 3_600_000);

    private final DenialCache cache = new DenialCache();

    @Test
    void requestCountDenialIsAnsweredAgainWithTheRemainingWait() {
        cache.remember(100, denial(Reason.RATE_LIMIT_RPM, 30_000), SNAPSHOT, 0);

        OperationResult again = cache.find(100, 10_000 * MS);

        assertThat(again).isEqualTo(new OperationResult(Outcome.DENIED, Reason.RATE_LIMIT_RPM, 20_000, FULL));
    }

    @Test
    void largerEstimateIsNotAnsweredFromMemory() {
        cache.remember(100, denial(Reason.RATE_LIMIT_RPM, 30_000), SNAPSHOT, 0);

        assertThat(cache.find(101, MS)).isNull();
        assertThat(cache.find(99, MS)).isNotNull();
    }

    @Test
    void denialIsForgottenWhenItsWaitHasPassed() {
        cache.remember(100, denial(Reason.RATE_LIMIT_DAILY_REQUESTS, 30_000), SNAPSHOT, 0);

        assertThat(cache.find(100, 29_999 * MS)).isNotNull();
        assertThat(cache.find(100, 30_000 * MS)).isNull();
    }

    @Test
    void tokenDenialsAndDenialsWithoutRetryAreNotRemembered() {
        cache.remember(100, denial(Reason.RATE_LIMIT_TPM, 30_000), SNAPSHOT, 0);
        cache.remember(100, denial(Reason.RATE_LIMIT_DAILY_TOKENS, 30_000), SNAPSHOT, 0);
        cache.remember(100, denial(Reason.RATE_LIMIT_RPM, -1), SNAPSHOT, 0);
        cache.remember(100, denial(Reason.REQUEST_TOO_LARGE, -1), SNAPSHOT, 0);

        assertThat(cache.find(1, MS)).isNull();
    }

    @Test
    void clearForgetsTheDenial() {
        cache.remember(100, denial(Reason.RATE_LIMIT_RPM, 30_000), SNAPSHOT, 0);

        cache.clear();

        assertThat(cache.find(1, MS)).isNull();
    }

    private static OperationResult denial(Reason reason, long retryAfterMs) {
        return new OperationResult(Outcome.DENIED, reason, retryAfterMs, FULL);
    }
}
