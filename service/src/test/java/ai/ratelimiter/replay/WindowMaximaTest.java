package ai.ratelimiter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowMaximaTest {

    private static final long T = Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();

    private static Admission at(long atMs, long tokens) {
        return new Admission(atMs, tokens, tokens);
    }

    @Test
    void admissionStillCountsAt59999MsAfterIt() {
        List<Admission> admissions = List.of(at(T, 10), at(T + 59_999, 20));

        Peak peak = WindowMaxima.minute(admissions, Admission::estimatedTokens);

        assertThat(peak).isEqualTo(new Peak(2, 30));
    }

    @Test
    void admissionNoLongerCountsAt60000MsAfterIt() {
        List<Admission> admissions = List.of(at(T, 10), at(T + 60_000, 20));

        Peak peak = WindowMaxima.minute(admissions, Admission::estimatedTokens);

        assertThat(peak).isEqualTo(new Peak(1, 20));
    }

    @Test
    void requestAndTokenMaximaMayComeFromDifferentInstants() {
        List<Admission> admissions = List.of(at(T, 500), at(T + 70_000, 1), at(T + 70_001, 1),
                at(T + 70_002, 1));

        Peak peak = WindowMaxima.minute(admissions, Admission::estimatedTokens);

        assertThat(peak).isEqualTo(new Peak(3, 500));
    }

    @Test
    void admissionsInTheSameMillisecondAllCountAndOrderDoesNotMatter() {
        List<Admission> admissions =
                List.of(at(T + 30_000, 4), at(T, 1), at(T, 2), at(T + 61_000, 8));

        Peak peak = WindowMaxima.minute(admissions, Admission::estimatedTokens);

        assertThat(peak).isEqualTo(new Peak(3, 12));
    }

    @Test
    void minuteOfNoAdmissionsIsEmpty() {
        Peak peak = WindowMaxima.minute(List.of(), Admission::estimatedTokens);

        assertThat(peak).isEqualTo(Peak.NONE);
    }

    @Test
    void boundedTokensCountTheActualWhenSmallerAndTheEstimateWhenLarger() {
        List<Admission> admissions =
                List.of(new Admission(T, 300, 200), new Admission(T + 1, 100, 150));

        Peak bounded = WindowMaxima.minute(admissions, Admission::boundedTokens);
        Peak estimates = WindowMaxima.minute(admissions, Admission::estimatedTokens);

        assertThat(bounded).isEqualTo(new Peak(2, 300));
        assertThat(estimates).isEqualTo(new Peak(2, 400));
    }

    @Test
    void dailyTotalsResetAtMidnightUtc() {
        long midnight = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli();
        List<Admission> admissions =
                List.of(at(midnight - 2, 5), at(midnight - 1, 5), at(midnight, 7));

        Peak peak = WindowMaxima.day(admissions, Admission::estimatedTokens);

        assertThat(peak).isEqualTo(new Peak(2, 10));
    }
}
