package ai.ratelimiter.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the Dropwizard metric registry in the Prometheus text exposition format 0.0.4.
 * Each metric is exported under the first {@link MetricRule} that maps its name, and metrics
 * no rule maps are left out, so a name or label never appears by accident: in particular no
 * organization id, whose number is unbounded. Meters become counters, gauges and Dropwizard
 * counters gauges, histograms and timers summaries (timers in seconds), and
 * {@link BucketedTimer}s histograms. Thread-safe; each call reads the metrics afresh.
 */
public final class PrometheusExposition {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusExposition.class);

    /** The content type of the text format this class writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = 1e9;

    private final MetricRegistry registry;
    private final List<MetricRule> rules;

    public PrometheusExposition(MetricRegistry registry, List<MetricRule> rules) {
        this.registry = registry;
        this.rules = List.copyOf(rules);
    }

    /** The registry's mapped metrics now, as the text format. */
    public String render() {
        Map<String, Family> families = new TreeMap<>();
        registry.getMetrics().forEach((name, metric) -> {
            PrometheusType natural = naturalType(metric);
            if (natural == null) {
                return;
            }
            boolean durations = metric instanceof Timer;
            for (MetricRule rule : rules) {
                Optional<MetricRule.Target> target = rule.match(name, natural, durations);
                if (target.isPresent()) {
                    MetricRule.Target found = target.get();
                    families.computeIfAbsent(found.family(), family -> new Family(found))
                            .add(name, found, metric);
                    return;
                }
            }
        });
        StringBuilder out = new StringBuilder(8192);
        for (Family family : families.values()) {
            family.write(out);
        }
        return out.toString();
    }

    private static PrometheusType naturalType(Metric metric) {
        if (metric instanceof BucketedTimer) {
            return PrometheusType.HISTOGRAM;
        }
        if (metric instanceof Timer || metric instanceof Histogram) {
            return PrometheusType.SUMMARY;
        }
        if (metric instanceof Meter) {
            return PrometheusType.COUNTER;
        }
        if (metric instanceof Counter || metric instanceof Gauge) {
            return PrometheusType.GAUGE;
        }
        return null;
    }

    /** One family being written: its metadata and its series in label order. */
    private static final class Family {

        private final String name;
        private final PrometheusType type;
        private final String help;
        private final Map<String, Series> series = new TreeMap<>();

        Family(MetricRule.Target first) {
            this.name = first.family();
            this.type = first.type();
            this.help = first.help();
        }

        void add(String dropwizardName, MetricRule.Target target, Metric metric) {
            // One family has one type; a second metric of another kind under it would be invalid.
            if (target.type() == type) {
                series.put(labelText(target.labels(), null, null),
                        new Series(dropwizardName, target, metric));
            }
        }

        void write(StringBuilder out) {
            StringBuilder samples = new StringBuilder();
            for (Series one : series.values()) {
                one.write(name, type, samples);
            }
            if (samples.isEmpty()) {
                return;
            }
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type.wireName()).append('\n');
            out.append(samples);
        }
    }

    /** One Dropwizard metric under its family's name and its own labels. */
    private record Series(String dropwizardName, MetricRule.Target target, Metric metric) {

        void write(String family, PrometheusType type, StringBuilder out) {
            Map<String, String> labels = target.labels();
            double scale = target.scale();
            StringBuilder lines = new StringBuilder();
            try {
                switch (type) {
                    case COUNTER, GAUGE -> numberOf(metric).ifPresent(value ->
                            sample(lines, family, labelText(labels, null, null), value * scale));
                    case SUMMARY -> writeSummary(family, labels, scale, lines);
                    case HISTOGRAM -> writeHistogram(family, labels, lines);
                }
            } catch (RuntimeException e) {
                // A gauge whose supplier fails must not take the whole scrape down with it.
                LOG.debug("metric left out of prometheus output: name={}", dropwizardName, e);
                return;
            }
            out.append(lines);
        }

        private void writeSummary(String family, Map<String, String> labels, double scale,
                StringBuilder out) {
            Snapshot snapshot;
            long count;
            double unit = scale;
            if (metric instanceof Timer timer) {
                snapshot = timer.getSnapshot();
                count = timer.getCount();
                unit = scale / NANOS_PER_SECOND;
            } else if (metric instanceof Histogram histogram) {
                snapshot = histogram.getSnapshot();
                count = histogram.getCount();
            } else {
                return;
            }
            for (double quantile : QUANTILES) {
                sample(out, family, labelText(labels, "quantile", decimal(quantile)),
                        snapshot.getValue(quantile) * unit);
            }
            sample(out, family + "_count", labelText(labels, null, null), count);
        }

        private void writeHistogram(String family, Map<String, String> labels, StringBuilder out) {
            BucketedTimer.Buckets buckets = ((BucketedTimer) metric).buckets();
            double[] bounds = buckets.boundsSeconds();
            long[] counts = buckets.cumulativeCounts();
            for (int i = 0; i < bounds.length; i++) {
                sample(out, family + "_bucket", labelText(labels, "le", decimal(bounds[i])), counts[i]);
            }
            sample(out, family + "_bucket", labelText(labels, "le", "+Inf"), buckets.count());
            sample(out, family + "_sum", labelText(labels, null, null), buckets.sumSeconds());
            sample(out, family + "_count", labelText(labels, null, null), buckets.count());
        }

        private static Optional<Double> numberOf(Metric metric) {
            if (metric instanceof Meter meter) {
                return Optional.of((double) meter.getCount());
            }
            if (metric instanceof Counter counter) {
                return Optional.of((double) counter.getCount());
            }
            if (metric instanceof Gauge<?> gauge) {
                Object value = gauge.getValue();
                if (value instanceof Number number) {
                    return Optional.of(number.doubleValue());
                }
                if (value instanceof Boolean flag) {
                    return Optional.of(flag ? 1.0 : 0.0);
                }
            }
            return Optional.empty();
        }
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    private static String labelText(Map<String, String> labels, String extraName, String extraValue) {
        if (labels.isEmpty() && extraName == null) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        labels.forEach((name, value) -> pairs.add(name + "=\"" + escapeLabel(value) + "\""));
        if (extraName != null) {
            pairs.add(extraName + "=\"" + escapeLabel(extraValue) + "\"");
        }
        return "{" + String.join(",", pairs) + "}";
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String decimal(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
