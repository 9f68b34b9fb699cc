package ai.ratelimiter.metrics;

import java.util.Locale;

/** The Prometheus metric types this service exports. */
public enum PrometheusType {
    COUNTER,
    GAUGE,
    SUMMARY,
    HISTOGRAM;

    /** The name the {@code # TYPE} line uses. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
