package ai.ratelimiter.health;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.organizations.OrgLimiters;
import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Liveness rests on the limiters' actor system answering; a terminated one does not. */
class ActorSystemHealthCheckTest {

    @Test
    void healthyWhileTheActorSystemAnswersAndUnhealthyOnceItIsGone() throws Exception {
        OrgLimiters limiters = new OrgLimiters(OrgLimiters.newActorSystem("liveness-test"), null,
                Duration.ofSeconds(1), Runnable::run);
        ActorSystemHealthCheck check = new ActorSystemHealthCheck(limiters::ping, Duration.ofMillis(200));

        HealthCheck.Result running = check.execute();
        limiters.stop();
        HealthCheck.Result stopped = check.execute();

        assertThat(running.isHealthy()).isTrue();
        assertThat(stopped.isHealthy()).isFalse();
        assertThat(stopped.getMessage()).isEqualTo("actor system did not answer within 200ms");
    }
}
