package ai.ratelimiter.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps Dropwizard metric names that match a pattern to one Prometheus metric family: its name,
 * its help text and labels taken from the pattern's groups ({@code $1}, {@code $2}). A generic
 * rule builds the family name from the Dropwizard name itself, in snake case, with the suffix
 * Prometheus expects for the metric's kind ({@code _total}, {@code _seconds}). Immutable.
 *
 * @param family the family name; in a generic rule {@code $1} stands for the snake-cased group
 * @param labels label templates {@code name=value}, the value may use {@code $1}, {@code $2}
 * @param kind the Prometheus type to export as, or {@code null} for the metric's natural type
 * @param scale multiplies every value, to turn a unit into the base unit (ms into seconds)
 * @param generic whether {@code family} is a template completed by the metric's kind
 */
public record MetricRule(Pattern pattern, String family, String help, List<String> labels,
        PrometheusType kind, double scale, boolean generic) {

    /** A rule for the names matching {@code regex}, exported under {@code family}. */
    public static MetricRule of(String regex, String family, String help, String... labels) {
        return new MetricRule(Pattern.compile(regex), family, help, List.of(labels), null, 1.0, false);
    }

    /**
     * A rule naming every metric under {@code regex} by itself: {@code prefix} followed by the
     * first group in snake case and the suffix for its kind.
     */
    public static MetricRule generic(String regex, String prefix, String help) {
        return new MetricRule(Pattern.compile(regex), prefix + "$1", help, List.of(), null, 1.0, true);
    }

    /** The same rule exporting as {@code type}: a gauge that only ever grows as a counter. */
    public MetricRule as(PrometheusType type) {
        return new MetricRule(pattern, family, help, labels, type, scale, generic);
    }

    /** The same rule with every value multiplied by {@code factor}. */
    public MetricRule scaled(double factor) {
        return new MetricRule(pattern, family, help, labels, kind, factor, generic);
    }

    /** Where {@code name} goes if this rule maps it, for a metric of natural type {@code natural}. */
    Optional<Target> match(String name, PrometheusType natural, boolean durations) {
        Matcher matcher = pattern.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        PrometheusType type = kind != null ? kind : natural;
        String familyName = generic ? genericName(matcher, type, durations) : family;
        Map<String, String> labelValues = new LinkedHashMap<>();
        for (String label : labels) {
            int equals = label.indexOf('=');
            labelValues.put(label.substring(0, equals), expand(label.substring(equals + 1), matcher));
        }
        String helpText = generic ? help + " (Dropwizard metric " + name + ")" : help;
        return Optional.of(new Target(familyName, type, helpText, labelValues, scale));
    }

    private String genericName(Matcher matcher, PrometheusType type, boolean durations) {
        String base = family.replace("$1", snakeCase(matcher.group(1)));
        if (durations && !base.endsWith("_seconds")) {
            base += "_seconds";
        }
        if (type == PrometheusType.COUNTER && !base.endsWith("_total")) {
            base += "_total";
        }
        return base;
    }

    private static String expand(String template, Matcher matcher) {
        String value = template;
        for (int group = matcher.groupCount(); group >= 1; group--) {
            value = value.replace("$" + group, matcher.group(group));
        }
        return value;
    }

    /** {@code records-stored} and {@code recordsStored} both become {@code records_stored}. */
    static String snakeCase(String name) {
        String split = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        String cleaned = split.replaceAll("[^a-z0-9_]", "_").replaceAll("_+", "_");
        List<String> parts = new ArrayList<>(List.of(cleaned.split("_")));
        parts.removeIf(String::isEmpty);
        return String.join("_", parts);
    }

    /** Where one Dropwizard metric goes: its family, type, help, labels and value scale. */
    record Target(String family, PrometheusType type, String help, Map<String, String> labels,
            double scale) {
    }
}
