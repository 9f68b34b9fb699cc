package ai.ratelimiter.organizations;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.WindowUsage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One organization's four windows kept in this replica's memory while Redis is unreachable,
 * with the same rules as the Redis script but on the local clock and against this replica's
 * share of each limit. Not thread-safe: owned by one limiter actor.
 */
final class LocalWindows {

    private static final long WINDOW_MS = 60_000;
    private static final long DAY_MS = 86_400_000;

    private record Entry(String requestId, long at, long tokens) {
    }

    private final ArrayDeque<Entry> minute = new ArrayDeque<>();
    private final Map<String, Entry> byRequestId = new HashMap<>();
    private long minuteTokens;
    private long day = -1;
    private long dayRequests;
    private long dayTokens;

    /** The share of {@code limits} one replica enforces alone, rounded down. */
    static Limits share(Limits limits, double fraction) {
        return new Limits(
                (long) Math.floor(limits.requestsPerMinute() * fraction),
                (long) Math.floor(limits.tokensPerMinute() * fraction),
                (long) Math.floor(limits.requestsPerDay() * fraction),
                (long) Math.floor(limits.tokensPerDay() * fraction));
    }

    /**
     * Checks and consumes like the script does. {@code whole} decides whether a request can
     * ever pass (REQUEST_TOO_LARGE); {@code share} is what this replica may admit.
     */
    OperationResult check(String requestId, long estimate, Limits whole, Limits share, long nowMs) {
        expire(nowMs);
        Entry existing = byRequestId.get(requestId);
        if (existing != null) {
            return result(Outcome.DUPLICATE, null, -1);
        }
        if (share.requestsPerMinute() == 0) {
            return result(Outcome.DENIED, Reason.RATE_LIMIT_RPM, -1);
        }
        if (share.tokensPerMinute() == 0) {
            return result(Outcome.DENIED, Reason.RATE_LIMIT_TPM, -1);
        }
        if (share.requestsPerDay() == 0) {
            return result(Outcome.DENIED, Reason.RATE_LIMIT_DAILY_REQUESTS, -1);
        }
        if (share.tokensPerDay() == 0) {
            return result(Outcome.DENIED, Reason.RATE_LIMIT_DAILY_TOKENS, -1);
        }
        if (estimate > whole.tokensPerMinute() || estimate > whole.tokensPerDay()) {
            return result(Outcome.DENIED, Reason.REQUEST_TOO_LARGE, -1);
        }
        if (estimate > share.tokensPerMinute() || estimate > share.tokensPerDay()) {
            // Passes with Redis, but never within this replica's share alone.
            return result(Outcome.DENIED, Reason.RATE_LIMIT_TPM, -1);
        }

        Reason reason = null;
        long wait = -1;
        long msToDayEnd = (day + 1) * DAY_MS - nowMs;
        if (minute.size() >= share.requestsPerMinute()) {
            long w = requestWait(minute.size() - share.requestsPerMinute() + 1, nowMs);
            if (w > wait) {
                reason = Reason.RATE_LIMIT_RPM;
                wait = w;
            }
        }
        if (estimate > share.tokensPerMinute() - minuteTokens) {
            long w = tokenWait(estimate - (share.tokensPerMinute() - minuteTokens), nowMs);
            if (w > wait) {
                reason = Reason.RATE_LIMIT_TPM;
                wait = w;
            }
        }
        if (dayRequests >= share.requestsPerDay() && msToDayEnd > wait) {
            reason = Reason.RATE_LIMIT_DAILY_REQUESTS;
            wait = msToDayEnd;
        }
        if (estimate > share.tokensPerDay() - dayTokens && msToDayEnd > wait) {
            reason = Reason.RATE_LIMIT_DAILY_TOKENS;
            wait = msToDayEnd;
        }
        if (reason != null) {
            return result(Outcome.DENIED, reason, wait);
        }

        add(new Entry(requestId, nowMs, estimate));
        return result(Outcome.ALLOWED, null, -1);
    }

    /** Replaces a check's estimate by the actual count, or counts it as of now. */
    void recordUsage(String requestId, long actual, long nowMs) {
        expire(nowMs);
        Entry existing = byRequestId.get(requestId);
        if (existing == null) {
            add(new Entry(requestId, nowMs, actual));
            return;
        }
        long delta = actual - existing.tokens();
        Entry corrected = new Entry(requestId, existing.at(), actual);
        minute.remove(existing);
        minute.addFirst(corrected);
        byRequestId.put(requestId, corrected);
        minuteTokens += delta;
        dayTokens += delta;
        resort();
    }

    WindowUsage usage() {
        return new WindowUsage(minute.size(), minuteTokens, dayRequests, dayTokens);
    }

    private void add(Entry entry) {
        minute.addLast(entry);
        byRequestId.put(entry.requestId(), entry);
        minuteTokens += entry.tokens();
        dayRequests++;
        dayTokens += entry.tokens();
    }

    private void resort() {
        Entry[] sorted = minute.toArray(new Entry[0]);
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingLong(Entry::at));
        minute.clear();
        for (Entry entry : sorted) {
            minute.addLast(entry);
        }
    }

    private void expire(long nowMs) {
        long today = Math.floorDiv(nowMs, DAY_MS);
        if (today != day) {
            day = today;
            dayRequests = 0;
            dayTokens = 0;
        }
        while (!minute.isEmpty() && minute.peekFirst().at() <= nowMs - WINDOW_MS) {
            Entry gone = minute.pollFirst();
            byRequestId.remove(gone.requestId());
            minuteTokens -= gone.tokens();
        }
    }

    private long requestWait(long need, long nowMs) {
        Iterator<Entry> oldestFirst = minute.iterator();
        Entry entry = null;
        for (long i = 0; i < need && oldestFirst.hasNext(); i++) {
            entry = oldestFirst.next();
        }
        return entry == null ? WINDOW_MS : entry.at() + WINDOW_MS - nowMs;
    }

    private long tokenWait(long need, long nowMs) {
        long freed = 0;
        for (Entry entry : minute) {
            freed += entry.tokens();
            if (freed >= need) {
                return entry.at() + WINDOW_MS - nowMs;
            }
        }
        return WINDOW_MS;
    }

    private OperationResult result(Outcome outcome, Reason reason, long retryAfterMs) {
        return new OperationResult(outcome, reason, retryAfterMs, usage());
    }
}
