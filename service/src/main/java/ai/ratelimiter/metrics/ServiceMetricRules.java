package ai.ratelimiter.metrics;

import java.util.List;

/**
 * Which of the service's Dropwizard metrics {@code /prometheus} exports, and under which
 * Prometheus names and labels. Organization ids never become labels: per-organization
 * figures come from the status and statistics endpoints instead.
 */
public final class ServiceMetricRules {

    private static final String CHECKS = "Checks answered, by outcome (allowed, duplicate, denied,"
            + " unavailable) and, for denials, reason.";

    private static final List<MetricRule> RULES = List.of(
            MetricRule.of("checks\\.allowed", "ai_ratelimiter_checks_total", CHECKS,
                    "outcome=allowed"),
            MetricRule.of("checks\\.duplicate", "ai_ratelimiter_checks_total", CHECKS,
                    "outcome=duplicate"),
            MetricRule.of("checks\\.denied\\.([A-Z_]+)", "ai_ratelimiter_checks_total", CHECKS,
                    "outcome=denied", "reason=$1"),
            MetricRule.of("checks\\.unavailable", "ai_ratelimiter_checks_total", CHECKS,
                    "outcome=unavailable"),
            MetricRule.of("checks\\.denied-from-cache", "ai_ratelimiter_checks_denied_from_cache_total",
                    "Denials answered from a limiter's memory without a Redis call (also counted in"
                    + " ai_ratelimiter_checks_total)."),
            MetricRule.of("checks\\.decided-without-redis",
                    "ai_ratelimiter_checks_decided_without_redis_total",
                    "Checks answered by the Redis outage policy instead of Redis."),
            MetricRule.of("checks\\.latency", "ai_ratelimiter_check_duration_seconds",
                    "Time from a valid check request to its decision, in seconds."),
            MetricRule.of("windows\\.script-latency", "ai_ratelimiter_redis_script_duration_seconds",
                    "Time of one window script call to Redis, for a whole coalesced batch, in"
                    + " seconds."),
            MetricRule.of("windows\\.batch-size", "ai_ratelimiter_redis_script_batch_size",
                    "Checks and usage records coalesced into one window script call."),
            MetricRule.of("windows\\.failures\\.([A-Z_]+)", "ai_ratelimiter_redis_errors_total",
                    "Failed window script calls, by kind (TIMEOUT, CONNECTION, SCRIPT_ERROR,"
                    + " CIRCUIT_OPEN, OTHER).", "kind=$1"),
            MetricRule.of("windows\\.circuit-breaker\\.state",
                    "ai_ratelimiter_redis_circuit_breaker_state",
                    "The Redis circuit breaker: 0 closed, 1 half-open, 2 open (outage policy answers)."),
            MetricRule.of("organizations\\.active-limiters", "ai_ratelimiter_active_limiters",
                    "Organizations with a limiter actor in memory on this replica."),
            MetricRule.of("limits\\.load-failures", "ai_ratelimiter_postgres_errors_total",
                    "Failed Postgres operations, by operation.", "operation=limits_load"),
            MetricRule.of("usage\\.failed-transactions", "ai_ratelimiter_postgres_errors_total",
                    "Failed Postgres operations, by operation.", "operation=usage_commit"),
            MetricRule.generic("usage\\.(.+)", "ai_ratelimiter_usage_", "Usage recording"),
            MetricRule.of("health\\.([a-z0-9-]+)\\.up", "ai_ratelimiter_health_check_up",
                    "Last scheduled result of each health check: 1 healthy, 0 unhealthy. Redis and"
                    + " postgres are dependencies shared by all replicas; replica is this"
                    + " replica's readiness.", "check=$1"),
            MetricRule.of("io\\.dropwizard\\.db\\.ManagedPooledDataSource\\.postgres\\.(active|idle)",
                    "ai_ratelimiter_postgres_pool_connections",
                    "Postgres pool connections, by state.", "state=$1"),
            MetricRule.of("io\\.dropwizard\\.db\\.ManagedPooledDataSource\\.postgres\\.waiting",
                    "ai_ratelimiter_postgres_pool_waiting_threads",
                    "Threads waiting for a Postgres pool connection."),
            MetricRule.of("io\\.dropwizard\\.jetty\\.MutableServletContextHandler\\.([1-5]xx)-responses",
                    "ai_ratelimiter_http_responses_total",
                    "Responses of the application port, by status class.", "code=$1"),
            MetricRule.of("io\\.dropwizard\\.jetty\\.MutableServletContextHandler\\.requests",
                    "ai_ratelimiter_http_request_duration_seconds",
                    "Time of application port requests, in seconds."),
            MetricRule.of("io\\.dropwizard\\.jetty\\.MutableServletContextHandler\\.active-requests",
                    "ai_ratelimiter_http_active_requests", "Application port requests in progress."),
            MetricRule.of("ch\\.qos\\.logback\\.core\\.Appender\\.(error|warn)",
                    "ai_ratelimiter_log_events_total", "Log events written, by level.", "level=$1"),
            MetricRule.of("jvm\\.memory\\.heap\\.used", "jvm_memory_heap_used_bytes",
                    "Heap memory in use, in bytes."),
            MetricRule.of("jvm\\.memory\\.heap\\.max", "jvm_memory_heap_max_bytes",
                    "Largest heap the JVM may use, in bytes."),
            MetricRule.of("jvm\\.memory\\.non-heap\\.used", "jvm_memory_non_heap_used_bytes",
                    "Non-heap memory in use, in bytes."),
            MetricRule.of("jvm\\.threads\\.count", "jvm_threads", "Live JVM threads."),
            MetricRule.of("jvm\\.threads\\.deadlock\\.count", "jvm_threads_deadlocked",
                    "JVM threads in a deadlock."),
            MetricRule.of("jvm\\.gc\\.([^.]+)\\.count", "jvm_gc_collections_total",
                    "Garbage collections, by collector.", "gc=$1").as(PrometheusType.COUNTER),
            MetricRule.of("jvm\\.gc\\.([^.]+)\\.time", "jvm_gc_collection_seconds_total",
                    "Time spent in garbage collection, by collector, in seconds.", "gc=$1")
                    .as(PrometheusType.COUNTER).scaled(0.001));

    private ServiceMetricRules() {
    }

    public static List<MetricRule> all() {
        return RULES;
    }
}
