package ai.ratelimiter.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a component schema with the JSON that Jackson, configured as the service configures
 * it, reads into or writes from the schema's {@code x-java-type}: the same property names, types
 * that agree (a class property must refer to the schema of that class), enums with the values
 * Jackson writes, primitives required in answers, and unknown properties refused in requests
 * exactly when Jackson refuses them.
 */
final class JavaTypeSchemas {

    /** Whether a schema describes what clients send (read) or what the service answers (write). */
    enum Direction {
        READ,
        WRITE
    }

    private final ApiDocument document;
    private final ObjectMapper mapper;

    JavaTypeSchemas(ApiDocument document, ObjectMapper mapper) {
        this.document = document;
        this.mapper = mapper;
    }

    /** What differs between the component schema and its Java type; empty if nothing. */
    List<String> problems(String schemaName, Direction direction) {
        JsonNode schema = document.schemas().get(schemaName);
        String where = schemaName + " (" + direction.name().toLowerCase() + ")";
        List<String> problems = new ArrayList<>();
        Class<?> type;
        try {
            type = Class.forName(schema.path(ApiDocument.JAVA_TYPE).asText());
        } catch (ClassNotFoundException e) {
            problems.add(where + ": x-java-type names no class: " + e.getMessage());
            return problems;
        }
        if (!"object".equals(schema.path("type").asText())) {
            problems.add(where + ": a schema with x-java-type must be of type object");
        }

        Map<String, JavaType> properties = jsonProperties(type, direction);
        Set<String> documented = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(documented::add);
        if (!documented.equals(properties.keySet())) {
            problems.add(where + ": documented properties " + documented + " but Jackson "
                    + (direction == Direction.READ ? "reads " : "writes ") + properties.keySet());
        }
        for (Map.Entry<String, JavaType> property : properties.entrySet()) {
            JsonNode propertySchema = schema.path("properties").path(property.getKey());
            if (!propertySchema.isMissingNode()) {
                String propertyWhere = where + "." + property.getKey();
                compareType(property.getValue(), propertySchema, propertyWhere, problems);
            }
        }
        checkRequired(schema, properties, direction, where, problems);
        return problems;
    }

    private void checkRequired(JsonNode schema, Map<String, JavaType> properties,
            Direction direction, String where, List<String> problems) {
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        if (!properties.keySet().containsAll(required)) {
            problems.add(where + ": required " + required + " names properties it does not have");
        }
        if (direction == Direction.WRITE) {
            // Jackson writes a primitive whatever the inclusion rule says: it is always there.
            properties.forEach((name, type) -> {
                if (type.isPrimitive() && !required.contains(name)) {
                    problems.add(where + "." + name + ": always written (primitive), not required");
                }
            });
        } else {
            boolean refusesUnknown =
                    mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            boolean documentedClosed = schema.path("additionalProperties").isBoolean()
                    && !schema.path("additionalProperties").asBoolean();
            if (refusesUnknown != documentedClosed) {
                problems.add(where + ": additionalProperties: false must say what Jackson does with"
                        + " unknown properties (refuses them: " + refusesUnknown + ")");
            }
        }
    }

    private Map<String, JavaType> jsonProperties(Class<?> type, Direction direction) {
        JavaType javaType = mapper.constructType(type);
        BeanDescription description = direction == Direction.READ
                ? mapper.getDeserializationConfig().introspect(javaType)
                : mapper.getSerializationConfig().introspect(javaType);
        Map<String, JavaType> properties = new TreeMap<>();
        for (BeanPropertyDefinition property : description.findProperties()) {
            boolean used = direction == Direction.READ
                    ? property.couldDeserialize() : property.couldSerialize();
            if (used) {
                properties.put(property.getName(), property.getPrimaryType());
            }
        }
        return properties;
    }

    private void compareType(JavaType type, JsonNode schemaNode, String where,
            List<String> problems) {
        JsonNode schema = document.resolve(schemaNode);
        Class<?> raw = type.getRawClass();
        if (schema.has(ApiDocument.JAVA_TYPE)) {
            String documented = schema.get(ApiDocument.JAVA_TYPE).asText();
            if (!documented.equals(raw.getName())) {
                problems.add(where + ": refers to the schema of " + documented + " but is "
                        + raw.getName());
            }
            return;
        }
        String documentedType = schema.path("type").asText();
        String documentedFormat = schema.path("format").asText();
        if (type.isCollectionLikeType() || type.isArrayType()) {
            expect(where, "array", null, documentedType, documentedFormat, problems);
            compareType(type.getContentType(), schema.path("items"), where + "[]", problems);
        } else if (raw.isEnum()) {
            expect(where, "string", null, documentedType, documentedFormat, problems);
            compareEnum(raw, schema, where, problems);
        } else if (raw == String.class) {
            expect(where, "string", null, documentedType, documentedFormat, problems);
        } else if (raw == Instant.class || raw == OffsetDateTime.class) {
            expect(where, "string", "date-time", documentedType, documentedFormat, problems);
        } else if (raw == long.class || raw == Long.class) {
            expect(where, "integer", "int64", documentedType, documentedFormat, problems);
        } else if (raw == int.class || raw == Integer.class) {
            expect(where, "integer", "int32", documentedType, documentedFormat, problems);
        } else if (raw == boolean.class || raw == Boolean.class) {
            expect(where, "boolean", null, documentedType, documentedFormat, problems);
        } else {
            problems.add(where + ": " + raw.getName()
                    + " needs a $ref to the schema whose x-java-type names it");
        }
    }

    private void compareEnum(Class<?> enumType, JsonNode schema, String where,
            List<String> problems) {
        List<String> written = new ArrayList<>();
        for (Object constant : enumType.getEnumConstants()) {
            written.add(mapper.valueToTree(constant).asText());
        }
        List<String> documented = new ArrayList<>();
        schema.path("enum").forEach(value -> documented.add(value.asText()));
        if (!documented.equals(written)) {
            problems.add(where + ": enum " + documented + " but Jackson writes " + written);
        }
    }

    private static void expect(String where, String type, String format, String documentedType,
            String documentedFormat, List<String> problems) {
        if (!type.equals(documentedType)) {
            problems.add(where + ": documented as " + documentedType + " but is " + type);
        } else if (format != null && !format.equals(documentedFormat)) {
            problems.add(where + ": documented with format " + documentedFormat + " but is "
                    + format);
        }
    }
}
