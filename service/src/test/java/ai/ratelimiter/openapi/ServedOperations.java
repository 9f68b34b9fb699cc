package ai.ratelimiter.openapi;

import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * The operations a running application serves, read from the Jersey resource model of its
 * resource configuration: every registered resource class and instance and every programmatic
 * resource, with their child resources.
 */
final class ServedOperations {

    private ServedOperations() {
    }

    /** The resource methods whose path starts with {@code prefix}, by operation. */
    static Map<Operation, ResourceMethod> under(ResourceConfig config, String prefix) {
        List<Resource> resources = new ArrayList<>(config.getResources());
        Set<Class<?>> classes = new LinkedHashSet<>(config.getClasses());
        config.getInstances().forEach(instance -> classes.add(instance.getClass()));
        for (Class<?> type : classes) {
            if (type.isAnnotationPresent(Path.class)) {
                resources.add(Resource.from(type));
            }
        }

        Map<Operation, ResourceMethod> served = new TreeMap<>();
        for (Resource resource : resources) {
            collect(resource, "", served);
        }
        served.keySet().removeIf(operation -> !isUnder(operation.template(), prefix));
        return served;
    }

    private static void collect(Resource resource, String parentPath,
            Map<Operation, ResourceMethod> served) {
        String own = resource.getPath() == null ? "" : resource.getPath();
        String path = Operation.normalize(parentPath + "/" + own);
        for (ResourceMethod method : resource.getResourceMethods()) {
            Operation operation = new Operation(method.getHttpMethod(), path);
            if (served.put(operation, method) != null) {
                throw new IllegalStateException("two resource methods serve " + operation);
            }
        }
        // A sub-resource locator decides its resources per request: they cannot be listed, so
        // the document could not be compared with them.
        if (resource.getResourceLocator() != null) {
            throw new IllegalStateException("a sub-resource locator cannot be listed: " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, served);
        }
    }

    private static boolean isUnder(String template, String prefix) {
        return template.equals(prefix) || template.startsWith(prefix + "/");
    }
}
