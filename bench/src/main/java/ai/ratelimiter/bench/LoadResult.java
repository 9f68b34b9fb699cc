package ai.ratelimiter.bench;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured.
 *
 * @param latency round-trip latencies in microseconds
 * @param otherByStatus answers that were neither 200 nor 429, by status (or "error")
 * @param maxAdmittedInWindow largest number of allowed checks of one organization whose
 *     decision instants fall within any 60 s window
 */
record LoadResult(String name, int clients, double seconds, long requests, long allowed, long denied,
        long other, java.util.Map<String, Long> otherByStatus, Histogram latency, long maxAdmittedInWindow) {

    double perSecond() {
        return requests / seconds;
    }

    double percentileMs(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }
}
