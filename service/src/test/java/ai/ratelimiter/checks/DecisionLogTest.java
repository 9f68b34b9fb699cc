package ai.ratelimiter.checks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.organizations.LimiterReply;
import ai.ratelimiter.windows.OperationResult;
import ai.ratelimiter.windows.Outcome;
import ai.ratelimiter.windows.Reason;
import ai.ratelimiter.windows.WindowSnapshot;
import ai.ratelimiter.windows.WindowUsage;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One DEBUG line per denied or failed check, on the decision loggers an operator switches on. */
class DecisionLogTest {

    private static final Limits LIMITS = new Limits(60, 100_000, 10_000, 5_000_000);
    private static final WindowSnapshot SNAPSHOT =
            new WindowSnapshot(1_000, WindowUsage.EMPTY, 60_000, 3_600_000);

    private final Logger decisions = (Logger) LoggerFactory.getLogger("ai.ratelimiter.decisions");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final DecisionLog log = new DecisionLog();

    @BeforeEach
    void captureDecisionLines() {
        lines.start();
        decisions.addAppender(lines);
        decisions.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        decisions.detachAppender(lines);
        decisions.setLevel(null);
    }

    @Test
    void deniedAndFailedChecksAreLoggedOnceEachAndAllowedOnesNot() {
        log.record("org-a", "req-1", 500, done(Outcome.ALLOWED, null, -1, false));
        log.record("org-a", "req-2", 500, done(Outcome.DENIED, Reason.RATE_LIMIT_RPM, 1_234, false));
        log.record("org-a", "req-3", 500, new LimiterReply.Unavailable("limiter queue full"));
        log.record("org-a", "req-4", 500, done(Outcome.ALLOWED, null, -1, true));

        List<String> logged = lines.list.stream()
                .map(line -> line.getLoggerName() + " " + line.getLevel() + " "
                        + line.getFormattedMessage())
                .toList();

        assertThat(logged).containsExactly(
                "ai.ratelimiter.decisions.denied DEBUG check denied: orgId=org-a requestId=req-2"
                        + " estimatedTokens=500 reason=RATE_LIMIT_RPM retryAfterMs=1234",
                "ai.ratelimiter.decisions.failed DEBUG check failed, no decision: orgId=org-a"
                        + " requestId=req-3 estimatedTokens=500 cause=\"limiter queue full\"",
                "ai.ratelimiter.decisions.failed DEBUG check decided without redis: orgId=org-a"
                        + " requestId=req-4 estimatedTokens=500 outcome=ALLOWED reason=null");
    }

    private static LimiterReply done(Outcome outcome, Reason reason, long retryAfterMs,
            boolean withoutRedis) {
        OperationResult result = new OperationResult(outcome, reason, retryAfterMs, WindowUsage.EMPTY);
        return new LimiterReply.Done("req", result, LIMITS, SNAPSHOT, withoutRedis);
    }
}
