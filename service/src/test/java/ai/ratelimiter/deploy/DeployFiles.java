package ai.ratelimiter.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The repository's deployment files as the tests read them: the Kubernetes manifests under
 * {@code deploy/kubernetes}, parsed by the fabric8 Kubernetes model into their API types, the
 * kustomization as plain YAML, and the {@code Dockerfile} as text.
 */
final class DeployFiles {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path KUBERNETES = ROOT.resolve("deploy").resolve("kubernetes");
    static final String KUSTOMIZATION = "kustomization.yaml";
    static final String SECRET_EXAMPLE = "secret.example.yaml";

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DeployFiles() {
    }

    /** Every manifest file (not the kustomization), by file name. */
    static List<String> manifestNames() {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") || name.endsWith(".yml"))
                    .filter(name -> !name.equals(KUSTOMIZATION))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses one manifest into the Kubernetes type its apiVersion and kind name; a kind the
     * model does not know comes back as a {@link GenericKubernetesResource}.
     */
    static HasMetadata manifest(String name) {
        try {
            Object parsed = YAML.readValue(KUBERNETES.resolve(name).toFile(), KubernetesResource.class);
            return (HasMetadata) parsed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + name, e);
        }
    }

    static <T extends HasMetadata> T manifest(String name, Class<T> type) {
        return type.cast(manifest(name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> kustomization() {
        try {
            return YAML.readValue(KUBERNETES.resolve(KUSTOMIZATION).toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fields of a parsed manifest that its Kubernetes type does not define (a misspelt
     * {@code readinesProbe} would land there instead of failing), as dotted paths.
     */
    static List<String> unknownFields(Object parsed) {
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(parsed, "", unknown);
        return unknown;
    }

    private static void collectUnknownFields(Object value, String path, List<String> unknown) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> collectUnknownFields(child, path + "." + key, unknown));
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!isGetter(getter)) {
                continue;
            }
            Object child = invoke(getter, value);
            String childPath = path + "." + getter.getName().substring(3);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) child).keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                collectUnknownFields(child, childPath, unknown);
            }
        }
    }

    private static boolean isGetter(Method method) {
        return method.getName().startsWith("get") && method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers())
                && method.getDeclaringClass() != Object.class;
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }
}
