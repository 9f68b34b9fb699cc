package ai.ratelimiter.testing;

import ai.ratelimiter.windows.ScriptClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /** A {@link Clock} in UTC that reads this clock, for the service's wall-clock needs. */
    public Clock wallClock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("a manual clock stays in UTC");
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(nowMs.get());
            }
        };
    }

    @Override
    public String scriptArgument() {
        return Long.toString(nowMs.get());
    }
}
