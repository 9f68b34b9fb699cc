package ai.ratelimiter.bench;

import java.util.Arrays;

/** The largest number of instants inside any window [t, t + 60 000 ms), t being one of them. */
final class WindowMaxima {

    private static final long WINDOW_MS = 60_000;

    private WindowMaxima() {
    }

    static long largestInAnyMinute(long[] instants, int count) {
        long[] sorted = Arrays.copyOf(instants, count);
        Arrays.sort(sorted);
        long best = 0;
        int start = 0;
        for (int end = 0; end < sorted.length; end++) {
            while (sorted[end] - sorted[start] >= WINDOW_MS) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }
}
