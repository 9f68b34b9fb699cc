package ai.ratelimiter.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against a schema of the document, for the part of OpenAPI 3.0 schemas
 * the document uses: {@code $ref}, {@code oneOf}, {@code allOf}, types, {@code enum},
 * {@code required}, {@code properties}, {@code items}, bounds, {@code pattern} and the
 * {@code date-time} format. A property the schema does not name is a problem whatever
 * {@code additionalProperties} says, so that no answer carries a field the document leaves out.
 */
final class SchemaConformance {

    private final ApiDocument document;

    SchemaConformance(ApiDocument document) {
        this.document = document;
    }

    /** What is wrong with the value, one line each, starting with its JSON path; empty if none. */
    List<String> problems(JsonNode value, JsonNode schema, String path) {
        List<String> problems = new ArrayList<>();
        check(value, schema, path, problems);
        return problems;
    }

    private void check(JsonNode value, JsonNode schemaNode, String path, List<String> problems) {
        JsonNode schema = document.resolve(schemaNode);
        if (schema.has("oneOf")) {
            checkOneOf(value, schema.get("oneOf"), path, problems);
            return;
        }
        for (JsonNode part : schema.path("allOf")) {
            check(value, part, path, problems);
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(value, schema, path, problems);
            case "array" -> checkArray(value, schema, path, problems);
            case "string" -> checkString(value, schema, path, problems);
            case "integer" -> checkInteger(value, schema, path, problems);
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(path + ": " + value + " is not a boolean");
                }
            }
            case "" -> {
                if (!schema.has("allOf")) {
                    problems.add(path + ": the schema has no type");
                }
            }
            default -> problems.add(path + ": schema type " + type + " is not checked here");
        }
    }

    private void checkOneOf(JsonNode value, JsonNode alternatives, String path,
            List<String> problems) {
        int matching = 0;
        for (JsonNode alternative : alternatives) {
            if (problems(value, alternative, path).isEmpty()) {
                matching++;
            }
        }
        if (matching != 1) {
            problems.add(path + ": " + value + " matches " + matching + " oneOf alternatives");
        }
    }

    private void checkObject(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (!value.isObject()) {
            problems.add(path + ": " + value + " is not an object");
            return;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(path + ": required property " + required.asText() + " is missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String fieldPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), fieldPath, problems);
            } else {
                problems.add(fieldPath + ": property not in the schema");
            }
        }
    }

    private void checkArray(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (!value.isArray()) {
            problems.add(path + ": " + value + " is not an array");
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
        }
    }

    private static void checkString(JsonNode value, JsonNode schema, String path,
            List<String> problems) {
        if (!value.isTextual()) {
            problems.add(path + ": " + value + " is not a string");
            return;
        }
        String text = value.asText();
        if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
            problems.add(path + ": shorter than minLength " + schema.get("minLength"));
        }
        if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
            problems.add(path + ": longer than maxLength " + schema.get("maxLength"));
        }
        String pattern = schema.path("pattern").asText(null);
        if (pattern != null && !Pattern.compile(pattern).matcher(text).find()) {
            problems.add(path + ": \"" + text + "\" does not match " + pattern);
        }
        if ("date-time".equals(schema.path("format").asText()) && !isDateTime(text)) {
            problems.add(path + ": \"" + text + "\" is not an RFC 3339 date-time");
        }
    }

    private static void checkInteger(JsonNode value, JsonNode schema, String path,
            List<String> problems) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(path + ": " + value + " is not a 64-bit integer");
            return;
        }
        long number = value.asLong();
        if (schema.has("minimum") && number < schema.get("minimum").asLong()) {
            problems.add(path + ": " + number + " is below the minimum " + schema.get("minimum"));
        }
        if (schema.has("maximum") && number > schema.get("maximum").asLong()) {
            problems.add(path + ": " + number + " is above the maximum " + schema.get("maximum"));
        }
    }

    private static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
