package ai.ratelimiter.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Computes what the service's windows held at their fullest from the admissions a client saw,
 * by the service's own rules (DESIGN 3.2): a request admitted at {@code t} counts for every
 * instant in {@code [t, t + 60 000 ms)}, and a daily window is a UTC calendar day. Pure
 * functions only.
 */
public final class WindowMaxima {

    public static final long MINUTE_MS = 60_000;
    static final long DAY_MS = 86_400_000;

    private WindowMaxima() {
    }

    /**
     * The largest number of requests, and of tokens as {@code tokens} counts them, inside any
     * sliding minute. Every admission in the window at instant {@code s} has
     * {@code s - 60000 < t <= s}, and sums only grow at admission instants, so it is enough to
     * look at those.
     */
    public static Peak minute(List<Admission> admissions, ToLongFunction<Admission> tokens) {
        List<Admission> sorted = new ArrayList<>(admissions);
        sorted.sort(Comparator.comparingLong(Admission::atMs));

        long maxRequests = 0;
        long maxTokens = 0;
        long windowTokens = 0;
        int oldest = 0;
        for (int newest = 0; newest < sorted.size(); newest++) {
            Admission admitted = sorted.get(newest);
            windowTokens += tokens.applyAsLong(admitted);
            while (sorted.get(oldest).atMs() <= admitted.atMs() - MINUTE_MS) {
                windowTokens -= tokens.applyAsLong(sorted.get(oldest));
                oldest++;
            }
            maxRequests = Math.max(maxRequests, newest - oldest + 1);
            maxTokens = Math.max(maxTokens, windowTokens);
        }
        return new Peak(maxRequests, maxTokens);
    }

    /** The largest number of requests, and of tokens, admitted within one UTC calendar day. */
    public static Peak day(List<Admission> admissions, ToLongFunction<Admission> tokens) {
        Map<Long, long[]> days = new HashMap<>();
        for (Admission admitted : admissions) {
            long day = Math.floorDiv(admitted.atMs(), DAY_MS);
            long[] totals = days.computeIfAbsent(day, ignored -> new long[2]);
            totals[0]++;
            totals[1] += tokens.applyAsLong(admitted);
        }

        long maxRequests = 0;
        long maxTokens = 0;
        for (long[] totals : days.values()) {
            maxRequests = Math.max(maxRequests, totals[0]);
            maxTokens = Math.max(maxTokens, totals[1]);
        }
        return new Peak(maxRequests, maxTokens);
    }
}
