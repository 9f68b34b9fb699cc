package ai.ratelimiter.auth;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One HTTP endpoint of the service: a method and a path template such as
 * {@code /v1/orgs/{orgId}/checks}. Templates are normalized (single slashes, no trailing slash,
 * no regular expressions inside braces) so that a resource's annotations and a policy rule
 * written by hand compare equal.
 *
 * @param method the HTTP method in upper case
 * @param template the normalized path template
 */
public record Endpoint(String method, String template) {

    private static final Pattern VARIABLE_REGEX = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*:[^}]*}");

    public Endpoint {
        template = normalize(template);
    }

    /** The endpoint a resource method serves; empty for a sub-resource locator. */
    public static Optional<Endpoint> of(Class<?> resourceClass, Method resourceMethod) {
        if (resourceClass == null || resourceMethod == null) {
            return Optional.empty();
        }
        Optional<String> method = httpMethodOf(resourceMethod);
        if (method.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        Path classPath = resourceClass.getAnnotation(Path.class);
        Path methodPath = resourceMethod.getAnnotation(Path.class);
        if (classPath != null) {
            parts.add(classPath.value());
        }
        if (methodPath != null) {
            parts.add(methodPath.value());
        }
        return Optional.of(new Endpoint(method.get(), String.join("/", parts)));
    }

    public boolean hasOrganization() {
        return template.contains("{orgId}");
    }

    @Override
    public String toString() {
        return method + " " + template;
    }

    private static Optional<String> httpMethodOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return Optional.of(httpMethod.value());
            }
        }
        return Optional.empty();
    }

    private static String normalize(String template) {
        String plain = VARIABLE_REGEX.matcher(template).replaceAll("{$1}");
        StringBuilder normalized = new StringBuilder();
        for (String segment : plain.split("/")) {
            if (!segment.isEmpty()) {
                normalized.append('/').append(segment);
            }
        }
        return normalized.length() == 0 ? "/" : normalized.toString();
    }
}
