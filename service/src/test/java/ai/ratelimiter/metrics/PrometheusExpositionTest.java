package ai.ratelimiter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The text format, names and labels the service's rules give each kind of Dropwizard metric. */
class PrometheusExpositionTest {

    private final MetricRegistry registry = new MetricRegistry();
    private final PrometheusExposition exposition =
            new PrometheusExposition(registry, ServiceMetricRules.all());

    @Test
    void checkMetersBecomeOneCounterFamilyLabelledByOutcomeAndReason() {
        registry.meter("checks.allowed").mark(3);
        registry.meter("checks.duplicate");
        registry.meter("checks.denied.RATE_LIMIT_RPM").mark(2);
        registry.meter("checks.unavailable").mark();

        String text = exposition.render();

        assertThat(text).isEqualTo("""
                # HELP ai_ratelimiter_checks_total Checks answered, by outcome (allowed, duplicate, denied,\
                 unavailable) and, for denials, reason.
                # TYPE ai_ratelimiter_checks_total counter
                ai_ratelimiter_checks_total{outcome="allowed"} 3
                ai_ratelimiter_checks_total{outcome="denied",reason="RATE_LIMIT_RPM"} 2
                ai_ratelimiter_checks_total{outcome="duplicate"} 0
                ai_ratelimiter_checks_total{outcome="unavailable"} 1
                """);
    }

    @Test
    void bucketedTimerBecomesAHistogramInSeconds() {
        BucketedTimer timer = (BucketedTimer) registry.timer("checks.latency",
                () -> new BucketedTimer(new double[] {0.001, 0.01}));
        timer.update(500, TimeUnit.MICROSECONDS);
        timer.update(1, TimeUnit.MILLISECONDS);
        timer.update(2, TimeUnit.MILLISECONDS);
        timer.update(1, TimeUnit.SECONDS);

        String text = exposition.render();

        assertThat(text).isEqualTo("""
                # HELP ai_ratelimiter_check_duration_seconds Time from a valid check request to its\
                 decision, in seconds.
                # TYPE ai_ratelimiter_check_duration_seconds histogram
                ai_ratelimiter_check_duration_seconds_bucket{le="0.001"} 2
                ai_ratelimiter_check_duration_seconds_bucket{le="0.01"} 3
                ai_ratelimiter_check_duration_seconds_bucket{le="+Inf"} 4
                ai_ratelimiter_check_duration_seconds_sum 1.0035
                ai_ratelimiter_check_duration_seconds_count 4
                """);
    }

    @Test
    void usageMetricsAreNamedGenericallyWithTheSuffixOfTheirKind() {
        registry.meter("usage.records-stored").mark(7);
        registry.register("usage.queue-depth", (Gauge<Integer>) () -> 4);
        registry.timer("usage.commit-latency").update(250, TimeUnit.MILLISECONDS);
        registry.meter("usage.failed-transactions").mark();

        String text = exposition.render();

        assertThat(text).contains("""
                # TYPE ai_ratelimiter_usage_commit_latency_seconds summary
                ai_ratelimiter_usage_commit_latency_seconds{quantile="0.5"} 0.25
                ai_ratelimiter_usage_commit_latency_seconds{quantile="0.75"} 0.25
                ai_ratelimiter_usage_commit_latency_seconds{quantile="0.95"} 0.25
                ai_ratelimiter_usage_commit_latency_seconds{quantile="0.99"} 0.25
                ai_ratelimiter_usage_commit_latency_seconds{quantile="0.999"} 0.25
                ai_ratelimiter_usage_commit_latency_seconds_count 1
                """, """
                # TYPE ai_ratelimiter_usage_queue_depth gauge
                ai_ratelimiter_usage_queue_depth 4
                """, """
                # TYPE ai_ratelimiter_usage_records_stored_total counter
                ai_ratelimiter_usage_records_stored_total 7
                """, """
                # TYPE ai_ratelimiter_postgres_errors_total counter
                ai_ratelimiter_postgres_errors_total{operation="usage_commit"} 1
                """);
    }

    @Test
    void gaugesExportNumbersAndFlagsAndScaleMillisecondsToSeconds() {
        registry.register("windows.circuit-breaker.state", (Gauge<Integer>) () -> 2);
        registry.register("health.redis.up", (Gauge<Boolean>) () -> false);
        registry.register("jvm.gc.G1-Young-Generation.time", (Gauge<Long>) () -> 1500L);

        String text = exposition.render();

        assertThat(text).contains(
                "ai_ratelimiter_redis_circuit_breaker_state 2\n",
                "ai_ratelimiter_health_check_up{check=\"redis\"} 0\n",
                "# TYPE jvm_gc_collection_seconds_total counter\n"
                        + "jvm_gc_collection_seconds_total{gc=\"G1-Young-Generation\"} 1.5\n");
    }

    @Test
    void metricsNoRuleMapsAndGaugesThatFailAreLeftOut() {
        registry.meter("some.library.internal");
        registry.register("organizations.active-limiters", (Gauge<Integer>) () -> {
            throw new IllegalStateException("broken supplier");
        });
        registry.histogram("windows.batch-size").update(3);

        String text = exposition.render();

        assertThat(text).isEqualTo("""
                # HELP ai_ratelimiter_redis_script_batch_size Checks and usage records coalesced into\
                 one window script call.
                # TYPE ai_ratelimiter_redis_script_batch_size summary
                ai_ratelimiter_redis_script_batch_size{quantile="0.5"} 3
                ai_ratelimiter_redis_script_batch_size{quantile="0.75"} 3
                ai_ratelimiter_redis_script_batch_size{quantile="0.95"} 3
                ai_ratelimiter_redis_script_batch_size{quantile="0.99"} 3
                ai_ratelimiter_redis_script_batch_size{quantile="0.999"} 3
                ai_ratelimiter_redis_script_batch_size_count 1
                """);
    }

    @Test
    void labelValuesAreEscaped() {
        MetricRule rule = MetricRule.of("odd\\.(.+)", "odd_total", "Odd.", "name=$1");
        PrometheusExposition odd = new PrometheusExposition(registry, List.of(rule));
        registry.meter("odd.a\"b\\c");

        String text = odd.render();

        assertThat(text).isEqualTo("# HELP odd_total Odd.\n# TYPE odd_total counter\n"
                + "odd_total{name=\"a\\\"b\\\\c\"} 0\n");
    }
}
