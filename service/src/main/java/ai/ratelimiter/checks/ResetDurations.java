package ai.ratelimiter.checks;

/**
 * Formats durations the way callers of AI APIs parse {@code x-ratelimit-reset-*} headers:
 * {@code 120ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}.
 */
final class ResetDurations {

    private ResetDurations() {
    }

    static String format(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 1000) {
            return ms + "ms";
        }
        long hours = ms / 3_600_000;
        long minutes = (ms / 60_000) % 60;
        long wholeSeconds = (ms / 1000) % 60;
        long fraction = ms % 1000;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        text.append(wholeSeconds);
        if (fraction > 0) {
            String digits = String.format("%03d", fraction).replaceAll("0+$", "");
            text.append('.').append(digits);
        }
        return text.append('s').toString();
    }
}
