package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The duration text of {@code x-ratelimit-reset-*}, in the form AI API clients parse. */
class ResetDurationsTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "-5, 0ms",
        "0, 0ms",
        "1, 1ms",
        "120, 120ms",
        "999, 999ms",
        "1000, 1s",
        "1001, 1.001s",
        "1050, 1.05s",
        "1500, 1.5s",
        "49500, 49.5s",
        "59999, 59.999s",
        "60000, 1m0s",
        "60500, 1m0.5s",
        "360000, 6m0s",
        "3599999, 59m59.999s",
        "3600000, 1h0m0s",
        "3723000, 1h2m3s",
        "43200000, 12h0m0s",
        "86400000, 24h0m0s",
        "90061001, 25h1m1.001s"
    })
    void formatsMillisecondsAsClientsParseThem(long millis, String expected) {
        String text = ResetDurations.format(millis);

        assertThat(text).isEqualTo(expected);
    }
}
