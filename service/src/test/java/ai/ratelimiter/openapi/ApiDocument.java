package ai.ratelimiter.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The repository's {@code docs/openapi.yaml}, read with Jackson's YAML parser, and the look-ups
 * the tests make in it: operations, their parameters, request bodies and responses, and the
 * component schemas, with local {@code $ref}s followed. Immutable.
 */
final class ApiDocument {

    static final Path FILE = Path.of("..", "docs", "openapi.yaml").toAbsolutePath().normalize();
    static final String JSON = "application/json";
    static final String JAVA_TYPE = "x-java-type";

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String SCHEMAS = "#/components/schemas/";
    private static final int MAX_REF_HOPS = 16;

    private final byte[] bytes;
    private final JsonNode root;

    private ApiDocument(byte[] bytes, JsonNode root) {
        this.bytes = bytes;
        this.root = root;
    }

    static ApiDocument load() throws IOException {
        byte[] bytes = Files.readAllBytes(FILE);
        return new ApiDocument(bytes, new ObjectMapper(new YAMLFactory()).readTree(bytes));
    }

    byte[] bytes() {
        return bytes.clone();
    }

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonNode root() {
        return root;
    }

    /** Every operation of {@code paths}, sorted. */
    Map<Operation, JsonNode> operations() {
        Map<Operation, JsonNode> operations = new TreeMap<>();
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fields()
                .forEachRemaining(entry -> {
                    if (HTTP_METHODS.contains(entry.getKey())) {
                        Operation operation = new Operation(entry.getKey(), path.getKey());
                        operations.put(operation, entry.getValue());
                    }
                }));
        return operations;
    }

    JsonNode operation(Operation operation) {
        String method = operation.method().toLowerCase(Locale.ROOT);
        JsonNode node = pathItem(operation).path(method);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("not in the document: " + operation);
        }
        return node;
    }

    /**
     * The operation's parameters, resolved: those of its path item, replaced by its own of the
     * same name and location.
     */
    List<JsonNode> parameters(Operation operation) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode source : List.of(pathItem(operation), operation(operation))) {
            for (JsonNode parameter : source.path("parameters")) {
                JsonNode resolved = resolve(parameter);
                String key = resolved.path("in").asText() + ":" + resolved.path("name").asText();
                byKey.put(key, resolved);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    Set<String> parameterNames(Operation operation, String in) {
        Set<String> names = new TreeSet<>();
        for (JsonNode parameter : parameters(operation)) {
            if (parameter.path("in").asText().equals(in)) {
                names.add(parameter.path("name").asText());
            }
        }
        return names;
    }

    /** The request body object, resolved; empty when the operation takes none. */
    Optional<JsonNode> requestBody(Operation operation) {
        JsonNode body = operation(operation).path("requestBody");
        return body.isMissingNode() ? Optional.empty() : Optional.of(resolve(body));
    }

    /** The documented statuses of the operation, as numbers ({@code default} left out). */
    Set<Integer> statuses(Operation operation) {
        Set<Integer> statuses = new TreeSet<>();
        operation(operation).path("responses").fieldNames().forEachRemaining(code -> {
            if (code.chars().allMatch(Character::isDigit)) {
                statuses.add(Integer.parseInt(code));
            }
        });
        return statuses;
    }

    /** The response object documented for the status, resolved. */
    Optional<JsonNode> response(Operation operation, int status) {
        JsonNode response = operation(operation).path("responses").path(Integer.toString(status));
        return response.isMissingNode() ? Optional.empty() : Optional.of(resolve(response));
    }

    /** The component schemas by name, in document order. */
    Map<String, JsonNode> schemas() {
        Map<String, JsonNode> schemas = new LinkedHashMap<>();
        root.path("components").path("schemas").fields()
                .forEachRemaining(entry -> schemas.put(entry.getKey(), entry.getValue()));
        return schemas;
    }

    /** The Java class a schema describes, following {@code $ref}s; empty for plain schemas. */
    Optional<String> javaType(JsonNode schema) {
        JsonNode type = resolve(schema).path(JAVA_TYPE);
        return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
    }

    /** The node, or what its {@code $ref} points to, followed until no {@code $ref} is left. */
    JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/") || hops == MAX_REF_HOPS) {
                throw new IllegalArgumentException("cannot follow $ref " + ref);
            }
            current = root.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalArgumentException("$ref to nothing: " + ref);
            }
        }
        return current;
    }

    /**
     * The names of the component schemas a node refers to, directly or through other schemas:
     * properties, items, {@code oneOf}/{@code anyOf}/{@code allOf} and {@code $ref}s.
     */
    Set<String> schemasReachableFrom(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        collectSchemaRefs(node, names);
        return names;
    }

    private void collectSchemaRefs(JsonNode node, Set<String> names) {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (ref.startsWith(SCHEMAS) && names.add(ref.substring(SCHEMAS.length()))) {
                collectSchemaRefs(resolve(node), names);
            } else if (!ref.startsWith(SCHEMAS)) {
                collectSchemaRefs(resolve(node), names);
            }
            return;
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectSchemaRefs(children.next(), names);
        }
    }

    private JsonNode pathItem(Operation operation) {
        Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (Operation.normalize(path.getKey()).equals(operation.template())) {
                return path.getValue();
            }
        }
        throw new IllegalArgumentException("not in the document: " + operation);
    }
}
