package ai.ratelimiter.windows;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.JedisPooled;

/**
 * The window script's semantics (DESIGN 3.2 to 3.4), run on a real Redis with a clock the
 * tests move themselves. Every test uses an organization of its own.
 */
class RedisWindowStoreTest {

    private static final long RETENTION_MS = 15 * 60_000;
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
    private static final Limits ROOMY = new Limits(1_000, 1_000_000, 100_000, 100_000_000);

    private static JedisPooled redis;

    private ManualClock clock;
    private RedisWindowStore store;
    private String orgId;

    @BeforeAll
    static void connect() {
        redis = TestServices.get().newRedisClient();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @BeforeEach
    void newOrganization() {
        clock = new ManualClock(NOON);
        store = new RedisWindowStore(redis, clock, RETENTION_MS);
        orgId = TestApp.newOrgId();
    }

    @Test
    void requestCountsUntilOneMillisecondBeforeSixtySecondsLater() {
        Limits oneRpm = new Limits(1, 1_000, 100, 100_000);
        OperationResult first = check(oneRpm, "r1", 10);
        clock.advance(59_999);

        OperationResult justBefore = check(oneRpm, "r2", 10);
        clock.advance(1);
        OperationResult atSixtySeconds = check(oneRpm, "r3", 10);

        assertThat(first.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(justBefore.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(justBefore.reason()).isEqualTo(Reason.RATE_LIMIT_RPM);
        assertThat(justBefore.retryAfterMs()).isEqualTo(1);
        assertThat(justBefore.usage()).isEqualTo(new WindowUsage(1, 10, 1, 10));
        assertThat(atSixtySeconds.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(atSixtySeconds.usage()).isEqualTo(new WindowUsage(1, 10, 2, 20));
    }

    @Test
    void tpmRetryAfterWaitsUntilEnoughTokensHaveLeftNotJustTheOldest() {
        Limits limits = new Limits(100, 1_000, 1_000, 1_000_000);
        check(limits, "a", 300);
        clock.advance(10_000);
        check(limits, "b", 300);
        clock.advance(10_000);
        check(limits, "c", 300);
        clock.advance(10_000);

        OperationResult denied = check(limits, "d", 500);

        // 100 tokens are free, 400 more must leave: "a" frees 300, "b" at +10 s frees enough.
        assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_TPM);
        assertThat(denied.retryAfterMs()).isEqualTo(40_000);
        assertThat(denied.usage()).isEqualTo(new WindowUsage(3, 900, 3, 900));
    }

    @Test
    void tpmRetryOneMillisecondEarlyIsDeniedAndAtRetryAfterIsAllowed() {
        Limits limits = new Limits(100, 1_000, 1_000, 1_000_000);
        check(limits, "a", 300);
        clock.advance(10_000);
        check(limits, "b", 300);
        clock.advance(10_000);
        check(limits, "c", 300);
        clock.advance(10_000);
        long retryAfterMs = check(limits, "d", 500).retryAfterMs();
        long deniedAt = clock.nowMs();

        clock.set(deniedAt + retryAfterMs - 1);
        OperationResult early = check(limits, "d", 500);
        clock.set(deniedAt + retryAfterMs);
        OperationResult onTime = check(limits, "d", 500);

        assertThat(early.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(early.reason()).isEqualTo(Reason.RATE_LIMIT_TPM);
        assertThat(early.retryAfterMs()).isEqualTo(1);
        assertThat(onTime.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(onTime.usage()).isEqualTo(new WindowUsage(2, 800, 4, 1_400));
    }

    @Test
    void tpmRetryAfterFindsTheEntryWithinOneSecondThatFreesEnough() {
        Limits limits = new Limits(100, 1_000, 1_000, 1_000_000);
        check(limits, "a", 200);
        clock.advance(100);
        check(limits, "b", 200);
        clock.advance(100);
        check(limits, "c", 200);
        check(limits, "d", 200);
        clock.advance(5_000);

        OperationResult denied = check(limits, "e", 600);

        // 200 free, 400 must leave: "a" at +0 and "b" at +100 ms free exactly 400.
        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_TPM);
        assertThat(denied.retryAfterMs()).isEqualTo(60_000 + 100 - 5_200);
    }

    @Test
    void tpmRetryAfterIsExactWithTenThousandEntriesInOneMillisecond() {
        List<WindowOperation> burst = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            burst.add(WindowOperation.check("burst-" + i, 10));
        }
        Limits limits = new Limits(20_000, 100_000, 100_000, 10_000_000);
        store.apply(orgId, limits, burst);
        clock.advance(1_000);

        OperationResult denied = check(limits, "late", 10);

        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_TPM);
        assertThat(denied.retryAfterMs()).isEqualTo(59_000);
        assertThat(denied.usage()).isEqualTo(new WindowUsage(10_000, 100_000, 10_000, 100_000));
    }

    @Test
    void severalExceededWindowsAnswerTheLargestWaitAndItsWindow() {
        Limits limits = new Limits(2, 1_000, 1_000, 1_000_000);
        check(limits, "a", 100);
        clock.advance(5_000);
        check(limits, "b", 800);
        clock.advance(5_000);

        OperationResult denied = check(limits, "c", 500);

        // RPM frees a slot when "a" leaves (50 s); TPM needs "b" gone too (55 s).
        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_TPM);
        assertThat(denied.retryAfterMs()).isEqualTo(55_000);
    }

    @Test
    void severalExceededWindowsPreferTheDailyWaitWhenItIsLongest() {
        Limits limits = new Limits(1, 1_000, 1, 1_000_000);
        check(limits, "a", 100);
        clock.advance(1_000);

        OperationResult denied = check(limits, "b", 100);

        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_DAILY_REQUESTS);
        assertThat(denied.retryAfterMs()).isEqualTo(12 * 3_600_000 - 1_000);
    }

    @Test
    void severalExceededWindowsPreferTheRpmWaitWhenItIsLongest() {
        check(ROOMY, "a", 600);
        clock.advance(10_000);
        check(ROOMY, "b", 0);
        clock.advance(10_000);
        check(ROOMY, "c", 0);
        clock.advance(10_000);
        Limits tight = new Limits(2, 1_000, 1_000, 1_000_000);

        OperationResult denied = check(tight, "d", 500);

        // TPM is fine once "a" leaves (30 s); RPM needs "a" and "b" gone (40 s).
        assertThat(denied.reason()).isEqualTo(Reason.RATE_LIMIT_RPM);
        assertThat(denied.retryAfterMs()).isEqualTo(40_000);
    }

    @Test
    void dailyRequestsResetAtMidnightUtc() {
        Limits oneADay = new Limits(10, 1_000, 1, 1_000_000);
        check(oneADay, "a", 10);
        clock.set(Instant.parse("2026-03-01T23:59:59.999Z").toEpochMilli());

        OperationResult beforeMidnight = check(oneADay, "b", 10);
        clock.advance(1);
        OperationResult atMidnight = check(oneADay, "c", 10);

        assertThat(beforeMidnight.reason()).isEqualTo(Reason.RATE_LIMIT_DAILY_REQUESTS);
        assertThat(beforeMidnight.retryAfterMs()).isEqualTo(1);
        assertThat(atMidnight.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(atMidnight.usage()).isEqualTo(new WindowUsage(1, 10, 1, 10));
    }

    @Test
    void dailyTokensResetAtMidnightUtc() {
        Limits limits = new Limits(10, 1_000, 100, 1_000);
        check(limits, "a", 1_000);
        clock.set(Instant.parse("2026-03-01T23:59:59.999Z").toEpochMilli());

        OperationResult beforeMidnight = check(limits, "b", 1);
        clock.advance(1);
        OperationResult atMidnight = check(limits, "c", 1);

        assertThat(beforeMidnight.reason()).isEqualTo(Reason.RATE_LIMIT_DAILY_TOKENS);
        assertThat(beforeMidnight.retryAfterMs()).isEqualTo(1);
        assertThat(atMidnight.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(atMidnight.usage()).isEqualTo(new WindowUsage(1, 1, 1, 1));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1000, 100, 100000, RATE_LIMIT_RPM",
        "10, 0, 100, 100000, RATE_LIMIT_TPM",
        "10, 1000, 0, 100000, RATE_LIMIT_DAILY_REQUESTS",
        "10, 1000, 100, 0, RATE_LIMIT_DAILY_TOKENS"
    })
    void limitOfZeroDeniesWithoutRetry(long rpm, long tpm, long rpd, long tpd, Reason reason) {
        Limits limits = new Limits(rpm, tpm, rpd, tpd);

        OperationResult denied = check(limits, "a", 0);

        assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(denied.reason()).isEqualTo(reason);
        assertThat(denied.retryAfterMs()).isEqualTo(-1);
        assertThat(denied.usage()).isEqualTo(WindowUsage.EMPTY);
    }

    @ParameterizedTest
    @CsvSource({
        "1000, 1000000, 1001",
        "1000000, 1000, 1001"
    })
    void estimateAboveAWholeTokenLimitIsTooLargeWithoutRetry(long tpm, long tpd, long estimate) {
        Limits limits = new Limits(10, tpm, 100, tpd);

        OperationResult denied = check(limits, "a", estimate);

        assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(denied.reason()).isEqualTo(Reason.REQUEST_TOO_LARGE);
        assertThat(denied.retryAfterMs()).isEqualTo(-1);
        assertThat(denied.usage()).isEqualTo(WindowUsage.EMPTY);
    }

    @Test
    void estimateEqualToTheWholeTokenLimitsIsAllowed() {
        Limits limits = new Limits(10, 1_000, 100, 1_000);

        OperationResult allowed = check(limits, "a", 1_000);

        assertThat(allowed.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(allowed.usage()).isEqualTo(new WindowUsage(1, 1_000, 1, 1_000));
    }

    @Test
    void repeatedAllowedCheckIsADuplicateThatConsumesNothing() {
        check(ROOMY, "same", 500);
        clock.advance(59_999);

        OperationResult repeat = check(ROOMY, "same", 500);

        assertThat(repeat.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(repeat.reason()).isNull();
        assertThat(repeat.retryAfterMs()).isEqualTo(-1);
        assertThat(repeat.usage()).isEqualTo(new WindowUsage(1, 500, 1, 500));
    }

    @Test
    void repeatedCheckCountsAgainOnceTheFirstLeftTheMinuteWindow() {
        check(ROOMY, "same", 500);
        clock.advance(60_000);

        OperationResult repeat = check(ROOMY, "same", 500);

        assertThat(repeat.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(repeat.usage()).isEqualTo(new WindowUsage(1, 500, 2, 1_000));
    }

    @Test
    void repeatedDeniedCheckIsDecidedAgain() {
        Limits oneRpm = new Limits(1, 1_000, 100, 100_000);
        check(oneRpm, "first", 10);
        OperationResult denied = check(oneRpm, "second", 10);
        clock.advance(60_000);

        OperationResult retry = check(oneRpm, "second", 10);

        assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(retry.outcome()).isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void twoChecksInTheSameMillisecondAreTwoEntries() {
        Limits twoRpm = new Limits(2, 1_000, 100, 100_000);

        BatchResult first = store.apply(orgId, twoRpm, List.of(WindowOperation.check("a", 10)));
        BatchResult second = store.apply(orgId, twoRpm, List.of(WindowOperation.check("b", 20)));
        BatchResult third = store.apply(orgId, twoRpm, List.of(WindowOperation.check("c", 30)));

        assertThat(first.results().get(0).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(second.results().get(0).outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(second.snapshot().usage()).isEqualTo(new WindowUsage(2, 30, 2, 30));
        assertThat(third.results().get(0).reason()).isEqualTo(Reason.RATE_LIMIT_RPM);
        assertThat(third.results().get(0).retryAfterMs()).isEqualTo(60_000);
        assertThat(redis.zcard(RedisWindowStore.keysOf(orgId).get(0))).isEqualTo(2);
    }

    @Test
    void batchIsEvaluatedInOrder() {
        Limits twoRpm = new Limits(2, 1_000, 100, 100_000);

        BatchResult batch = store.apply(orgId, twoRpm, List.of(
                WindowOperation.check("a", 100),
                WindowOperation.check("a", 100),
                WindowOperation.check("b", 200),
                WindowOperation.check("c", 300),
                WindowOperation.usage("a", 40),
                WindowOperation.check("d", 1)));

        assertThat(batch.results()).extracting(OperationResult::outcome).containsExactly(
                Outcome.ALLOWED, Outcome.DUPLICATE, Outcome.ALLOWED, Outcome.DENIED,
                Outcome.RECONCILED, Outcome.DENIED);
        assertThat(batch.results()).extracting(OperationResult::usage).containsExactly(
                new WindowUsage(1, 100, 1, 100),
                new WindowUsage(1, 100, 1, 100),
                new WindowUsage(2, 300, 2, 300),
                new WindowUsage(2, 300, 2, 300),
                new WindowUsage(2, 240, 2, 240),
                new WindowUsage(2, 240, 2, 240));
        assertThat(batch.results().get(3).reason()).isEqualTo(Reason.RATE_LIMIT_RPM);
        assertThat(batch.snapshot().usage()).isEqualTo(new WindowUsage(2, 240, 2, 240));
        assertThat(batch.snapshot().nowMs()).isEqualTo(NOON.toEpochMilli());
    }

    @Test
    void usageReplacesTheEstimateOfItsCheck() {
        Limits limits = new Limits(10, 10_000, 100, 1_000_000);
        check(limits, "a", 3_000);
        clock.advance(1_000);

        OperationResult reconciled = usage(limits, "a", 1_200);

        assertThat(reconciled.outcome()).isEqualTo(Outcome.RECONCILED);
        assertThat(reconciled.usage()).isEqualTo(new WindowUsage(1, 1_200, 1, 1_200));
        assertThat(reconciled.usage().remainingOf(limits).minuteTokens()).isEqualTo(8_800);
    }

    @Test
    void usageAboveTheEstimateRaisesBothTokenWindows() {
        Limits limits = new Limits(10, 10_000, 100, 1_000_000);
        check(limits, "a", 1_000);

        OperationResult reconciled = usage(limits, "a", 2_500);

        assertThat(reconciled.outcome()).isEqualTo(Outcome.RECONCILED);
        assertThat(reconciled.usage()).isEqualTo(new WindowUsage(1, 2_500, 1, 2_500));
    }

    @Test
    void reconciledTokensLeaveTheMinuteWindowWithTheirCheck() {
        Limits limits = new Limits(10, 10_000, 100, 1_000_000);
        check(limits, "a", 3_000);
        clock.advance(1_000);
        usage(limits, "a", 1_200);
        clock.set(NOON.toEpochMilli() + 60_000);

        BatchResult read = store.apply(orgId, limits, List.of());

        assertThat(read.snapshot().usage()).isEqualTo(new WindowUsage(0, 0, 1, 1_200));
    }

    @Test
    void usageAfterItsCheckLeftTheMinuteWindowCorrectsOnlyTheDay() {
        Limits limits = new Limits(10, 10_000, 100, 1_000_000);
        check(limits, "a", 3_000);
        clock.advance(90_000);

        OperationResult reconciled = usage(limits, "a", 1_200);

        assertThat(reconciled.outcome()).isEqualTo(Outcome.RECONCILED);
        assertThat(reconciled.usage()).isEqualTo(new WindowUsage(0, 0, 1, 1_200));
    }

    @Test
    void usageWithoutACheckIsCountedAsOfNow() {
        Limits limits = new Limits(10, 10_000, 100, 1_000_000);
        clock.advance(5_000);

        OperationResult counted = usage(limits, "u", 700);
        clock.advance(59_999);
        BatchResult stillCounted = store.apply(orgId, limits, List.of());
        clock.advance(1);
        BatchResult gone = store.apply(orgId, limits, List.of());

        assertThat(counted.outcome()).isEqualTo(Outcome.COUNTED);
        assertThat(counted.usage()).isEqualTo(new WindowUsage(1, 700, 1, 700));
        assertThat(stillCounted.snapshot().usage()).isEqualTo(new WindowUsage(1, 700, 1, 700));
        assertThat(gone.snapshot().usage()).isEqualTo(new WindowUsage(0, 0, 1, 700));
    }

    @Test
    void repeatedUsageCountsItsTokensOnce() {
        Limits limits = new Limits(10, 10_000, 100, 1_000_000);
        check(limits, "a", 3_000);
        usage(limits, "a", 1_200);

        OperationResult again = usage(limits, "a", 1_200);

        assertThat(again.outcome()).isEqualTo(Outcome.RECONCILED);
        assertThat(again.usage()).isEqualTo(new WindowUsage(1, 1_200, 1, 1_200));
    }

    @Test
    void valuesNearTwoToTheFiftyThirdStayExact() {
        long max = Limits.MAX_VALUE;
        Limits huge = new Limits(max, max, max, max);

        OperationResult first = check(huge, "a", max - 1);
        OperationResult second = check(huge, "b", 1);
        OperationResult third = check(huge, "c", 1);

        assertThat(first.usage()).isEqualTo(new WindowUsage(1, max - 1, 1, max - 1));
        assertThat(first.usage().remainingOf(huge).minuteTokens()).isEqualTo(1);
        assertThat(second.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(second.usage()).isEqualTo(new WindowUsage(2, max, 2, max));
        // TPM would free up in 60 s, but the day's tokens only at midnight: the longer wait.
        assertThat(third.reason()).isEqualTo(Reason.RATE_LIMIT_DAILY_TOKENS);
        assertThat(third.retryAfterMs()).isEqualTo(12 * 3_600_000);
        assertThat(third.usage()).isEqualTo(new WindowUsage(2, max, 2, max));
    }

    @Test
    void dailyTokensAboveTwoToTheThirtyFirstAreCountedExactly() {
        Limits large = new Limits(1_000, 4_000_000_000L, 100_000, 9_000_000_000L);
        check(large, "a", 3_999_999_999L);
        clock.advance(60_000);
        check(large, "b", 3_000_000_001L);
        clock.advance(60_000);

        OperationResult third = check(large, "c", 2_000_000_001L);
        OperationResult fourth = check(large, "d", 2_000_000_000L);

        assertThat(third.reason()).isEqualTo(Reason.RATE_LIMIT_DAILY_TOKENS);
        assertThat(third.usage()).isEqualTo(new WindowUsage(0, 0, 2, 7_000_000_000L));
        assertThat(fourth.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(fourth.usage()).isEqualTo(new WindowUsage(1, 2_000_000_000L, 3, 9_000_000_000L));
    }

    @Test
    void everyKeyOfTheOrganizationExpiresAndSharesItsHashTag() {
        check(ROOMY, "a", 10);

        List<String> keys = RedisWindowStore.keysOf(orgId);

        assertThat(keys).allSatisfy(key -> {
            assertThat(key).startsWith("rl:{" + orgId + "}:");
            assertThat(redis.pttl(key)).isPositive();
        });
    }

    @Test
    void statusReadConsumesNothing() {
        check(ROOMY, "a", 10);

        BatchResult read = store.apply(orgId, ROOMY, List.of());
        BatchResult again = store.apply(orgId, ROOMY, List.of());

        assertThat(read.results()).isEmpty();
        assertThat(read.snapshot().usage()).isEqualTo(new WindowUsage(1, 10, 1, 10));
        assertThat(again.snapshot().usage()).isEqualTo(new WindowUsage(1, 10, 1, 10));
        assertThat(again.snapshot().minuteResetMs()).isEqualTo(60_000);
        assertThat(again.snapshot().dayResetMs()).isEqualTo(12 * 3_600_000);
    }

    private OperationResult check(Limits limits, String requestId, long estimatedTokens) {
        WindowOperation operation = WindowOperation.check(requestId, estimatedTokens);
        return store.apply(orgId, limits, List.of(operation)).results().get(0);
    }

    private OperationResult usage(Limits limits, String requestId, long actualTokens) {
        return store.apply(orgId, limits, List.of(WindowOperation.usage(requestId, actualTokens)))
                .results().get(0);
    }
}
