package ai.ratelimiter.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    private static final Instant START = Instant.parse("2023-11-16T18:17:03Z");

    private static List<TraceRow> rows(long... offsetsMs) {
        return IntStream.range(0, offsetsMs.length)
                .mapToObj(i -> new TraceRow(i + 2, START.plusMillis(offsetsMs[i]), 100 + i, 33))
                .toList();
    }

    @Test
    void requestsGoRoundRobinInTraceOrder() {
        List<TraceRow> rows = rows(0, 1, 2, 3, 4);

        List<PlannedRequest> plan = ReplayPlan.create(rows, List.of("a", "b"), "run", 1, 1);

        assertThat(plan).extracting(PlannedRequest::orgId).containsExactly("a", "b", "a", "b", "a");
        assertThat(plan).extracting(PlannedRequest::requestId)
                .containsExactly("run-1", "run-2", "run-3", "run-4", "run-5");
    }

    @Test
    void arrivalOffsetsAreDividedByTheSpeedup() {
        List<TraceRow> rows = rows(0, 3_000, 90_000);

        List<PlannedRequest> plan = ReplayPlan.create(rows, List.of("a"), "run", 30, 1);

        assertThat(plan).extracting(PlannedRequest::dueNanos)
                .containsExactly(0L, 100_000_000L, 3_000_000_000L);
    }

    @Test
    void estimateIsTheActualTimesTheFactorRoundedHalfUp() {
        List<TraceRow> rows = rows(0, 1);

        List<PlannedRequest> plan = ReplayPlan.create(rows, List.of("a"), "run", 1, 1.5);

        // 100 + 33 = 133 actual tokens, 133 * 1.5 = 199.5; 101 + 33 = 134, 134 * 1.5 = 201
        assertThat(plan).extracting(PlannedRequest::estimatedTokens).containsExactly(200L, 201L);
        assertThat(plan).extracting(PlannedRequest::actualTokens).containsExactly(133L, 134L);
    }

    @Test
    void organizationIdsAreNumberedFromOneAndZeroPadded() {
        List<String> ids = ReplayPlan.organizationIds("replay-x", 3);

        assertThat(ids).containsExactly("replay-x-01", "replay-x-02", "replay-x-03");
    }
}
