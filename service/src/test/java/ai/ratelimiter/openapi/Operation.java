package ai.ratelimiter.openapi;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the API: an HTTP method and a path template such as
 * {@code /v1/orgs/{orgId}/checks}. Templates are normalized (single slashes, no trailing slash,
 * no regular expression inside braces), so a Jersey path and a document path compare equal.
 */
record Operation(String method, String template) implements Comparable<Operation> {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(:[^}]*)?}");

    Operation {
        method = method.toUpperCase(Locale.ROOT);
        template = normalize(template);
    }

    /** The names in braces, in order. */
    Set<String> templateVariables() {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    @Override
    public int compareTo(Operation other) {
        int byTemplate = template.compareTo(other.template);
        return byTemplate != 0 ? byTemplate : method.compareTo(other.method);
    }

    @Override
    public String toString() {
        return method + " " + template;
    }

    static String normalize(String template) {
        String plain = VARIABLE.matcher(template).replaceAll("{$1}");
        StringBuilder normalized = new StringBuilder();
        for (String segment : plain.split("/")) {
            if (!segment.isEmpty()) {
                normalized.append('/').append(segment);
            }
        }
        return normalized.length() == 0 ? "/" : normalized.toString();
    }
}
