package ai.ratelimiter.testing;

import ai.ratelimiter.windows.ScriptClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A window-script clock that moves only when a test moves it. Thread-safe. */
public final class ManualClock implements ScriptClock {

    private final AtomicLong nowMs;

    public ManualClock(Instant start) {
        this.nowMs = new AtomicLong(start.toEpochMilli());
    }

    public long nowMs() {
        return nowMs.get();
    }

    public void set(long epochMs) {
        nowMs.set(epochMs);
    }

    public void advance(long ms) {
        nowMs.addAndGet(ms);
    }

    @Override
    public String scriptArgument() {
        return Long.toString(nowMs.get());
    }
}
