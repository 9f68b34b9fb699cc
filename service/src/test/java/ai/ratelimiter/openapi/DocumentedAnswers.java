package ai.ratelimiter.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares an answer of the running service with what the document says the operation answers:
 * the status is documented, the body conforms to that status's schema (or is empty when it has
 * none), every required header is present, and every rate-limit, retry or authentication header
 * sent is documented and conforms to its schema.
 */
final class DocumentedAnswers {

    /** Headers the document must describe wherever the service sends them. */
    private static final Set<String> DOCUMENTED_EXACTLY = Set.of("retry-after", "www-authenticate");
    private static final List<String> DOCUMENTED_PREFIXES = List.of("x-ratelimit", "ratelimit");

    private final ApiDocument document;
    private final SchemaConformance conformance;

    DocumentedAnswers(ApiDocument document) {
        this.document = document;
        this.conformance = new SchemaConformance(document);
    }

    /** What in the answer the document does not say; empty if nothing. */
    List<String> problems(Operation operation, ServedAnswer answer) {
        String where = operation + " " + answer.status();
        Optional<JsonNode> response = document.response(operation, answer.status());
        if (response.isEmpty()) {
            return List.of(where + ": status not documented; body " + answer.text());
        }
        List<String> problems = new ArrayList<>();
        JsonNode schema = response.get().path("content").path(ApiDocument.JSON).path("schema");
        if (schema.isMissingNode() && !answer.text().isEmpty()) {
            problems.add(where + ": documented without a body, answered " + answer.text());
        } else if (!schema.isMissingNode()) {
            problems.addAll(conformance.problems(answer.body(), schema, where + " body"));
        }
        problems.addAll(headerProblems(where, documentedHeaders(response.get()), answer));
        return problems;
    }

    private List<String> headerProblems(String where, Map<String, JsonNode> documented,
            ServedAnswer answer) {
        List<String> problems = new ArrayList<>();
        documented.forEach((name, header) -> {
            if (header.path("required").asBoolean() && answer.header(name).isEmpty()) {
                problems.add(where + ": required header " + name + " missing");
            }
        });
        for (String name : answer.headerNames()) {
            JsonNode header = documented.get(name);
            if (header == null && mustBeDocumented(name)) {
                problems.add(where + ": header " + name + " sent but not documented");
            } else if (header != null) {
                JsonNode schema = header.path("schema");
                JsonNode value = asSchemaType(answer.header(name).orElseThrow(), schema);
                problems.addAll(conformance.problems(value, schema, where + " header " + name));
            }
        }
        return problems;
    }

    /** The response's headers, resolved, by lower-case name. */
    private Map<String, JsonNode> documentedHeaders(JsonNode response) {
        Map<String, JsonNode> headers = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = response.path("headers").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().toLowerCase(Locale.ROOT);
            headers.put(name, document.resolve(field.getValue()));
        }
        return headers;
    }

    private static boolean mustBeDocumented(String name) {
        return DOCUMENTED_EXACTLY.contains(name)
                || DOCUMENTED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** A header's text as the JSON value its schema's type expects, when it reads as one. */
    private JsonNode asSchemaType(String text, JsonNode schema) {
        if ("integer".equals(document.resolve(schema).path("type").asText())) {
            try {
                return LongNode.valueOf(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return TextNode.valueOf(text);
            }
        }
        return TextNode.valueOf(text);
    }
}
