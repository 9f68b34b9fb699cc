package ai.ratelimiter.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.checks.CheckResponse;
import ai.ratelimiter.checks.StatusResponse;
import ai.ratelimiter.http.ApiError;
import ai.ratelimiter.limits.LimitsResponse;
import ai.ratelimiter.openapi.JavaTypeSchemas.Direction;
import ai.ratelimiter.stats.StatsResponse;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.usage.UsageResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassfish.jersey.model.Parameter.Source;
import org.glassfish.jersey.server.model.Parameter;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/openapi.yaml} and the running application in step: the operations, their
 * parameters and bodies against the Jersey resource model of a running instance, and the
 * schemas against the JSON its Jackson reads and writes for the records they name.
 */
class OpenApiDocumentTest {

    private static TestApp app;
    private static ApiDocument document;
    private static Map<Operation, ResourceMethod> served;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
        document = ApiDocument.load();
        served = ServedOperations.under(
                app.support().getEnvironment().jersey().getResourceConfig(), "/v1");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void documentIsAValidOpenApi30Document() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);

        SwaggerParseResult result =
                new OpenAPIV3Parser().readContents(document.text(), null, options);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
    }

    @Test
    void documentedOperationsAreExactlyTheOnesServedUnderV1() {
        Set<Operation> documented = document.operations().keySet();

        assertThat(served).isNotEmpty();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(served.keySet());
    }

    @Test
    void pathParametersAreTheTemplateVariablesTheResourceMethodsRead() {
        List<String> problems = new ArrayList<>();

        served.forEach((operation, method) -> {
            Set<String> variables = new TreeSet<>(operation.templateVariables());
            Set<String> read = parameterNames(method, Source.PATH);
            Set<String> documented = document.parameterNames(operation, "path");
            if (!documented.equals(variables) || !read.equals(variables)) {
                problems.add(operation + ": template " + variables + ", documented " + documented
                        + ", read by the resource " + read);
            }
            document.parameters(operation).stream()
                    .filter(parameter -> parameter.path("in").asText().equals("path"))
                    .filter(parameter -> !parameter.path("required").asBoolean())
                    .forEach(parameter -> problems.add(operation + ": path parameter "
                            + parameter.path("name").asText() + " must be required"));
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void queryHeaderAndCookieParametersAreTheOnesTheResourceMethodsRead() {
        Map<String, Source> locations = Map.of("query", Source.QUERY, "header", Source.HEADER,
                "cookie", Source.COOKIE);
        List<String> problems = new ArrayList<>();

        served.forEach((operation, method) -> locations.forEach((in, source) -> {
            Set<String> documented = document.parameterNames(operation, in);
            Set<String> read = parameterNames(method, source);
            if (!documented.equals(read)) {
                problems.add(operation + ": " + in + " parameters documented " + documented
                        + ", read by the resource " + read);
            }
        }));

        assertThat(problems).isEmpty();
    }

    @Test
    void requestBodiesDescribeTheEntitiesTheResourceMethodsRead() {
        List<String> problems = new ArrayList<>();

        served.forEach((operation, method) -> {
            Optional<Parameter> entity = method.getInvocable().getParameters().stream()
                    .filter(parameter -> parameter.getSource() == Source.ENTITY)
                    .findFirst();
            Optional<JsonNode> body = document.requestBody(operation);
            if (entity.isEmpty() != body.isEmpty()) {
                problems.add(operation + ": the resource reads " + entity.map(Parameter::getRawType)
                        .map(Class::getName).orElse("no body") + ", the document "
                        + (body.isPresent() ? "describes one" : "none"));
                return;
            }
            if (entity.isPresent()) {
                problems.addAll(bodyProblems(operation, method, entity.get(), body.get()));
            }
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void answersOfTypedResourceMethodsAreTheSchemaOfTheirReturnType() {
        List<String> problems = new ArrayList<>();

        served.forEach((operation, method) -> {
            Class<?> returned = method.getInvocable().getRawResponseType();
            if (returned == Response.class || CompletionStage.class.isAssignableFrom(returned)) {
                return;
            }
            for (int status : document.statuses(operation)) {
                if (status / 100 == 2) {
                    Optional<String> documented =
                            successSchema(operation, status).flatMap(document::javaType);
                    if (!documented.equals(Optional.of(returned.getName()))) {
                        problems.add(operation + " " + status + ": documented " + documented
                                + ", the resource method returns " + returned.getName());
                    }
                }
            }
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationProducesJsonAndDocumentsJsonOnly() {
        List<String> problems = new ArrayList<>();

        served.forEach((operation, method) -> {
            Set<String> produced = method.getProducedTypes().stream().map(Object::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!produced.equals(Set.of(ApiDocument.JSON))) {
                problems.add(operation + ": the resource produces " + produced);
            }
            for (int status : document.statuses(operation)) {
                JsonNode content =
                        document.response(operation, status).orElseThrow().path("content");
                content.fieldNames().forEachRemaining(type -> {
                    if (!type.equals(ApiDocument.JSON)) {
                        problems.add(operation + " " + status + ": documents content " + type);
                    }
                });
            }
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void schemasListExactlyTheJsonPropertiesOfTheirJavaTypes() {
        JavaTypeSchemas javaTypes =
                new JavaTypeSchemas(document, app.support().getEnvironment().getObjectMapper());
        Map<String, Set<Direction>> uses = schemaUses();
        List<String> problems = new ArrayList<>();

        document.schemas().forEach((name, schema) -> {
            if (!schema.has(ApiDocument.JAVA_TYPE)) {
                return;
            }
            Set<Direction> directions = uses.getOrDefault(name, Set.of());
            if (directions.isEmpty()) {
                problems.add(name + ": no operation uses it");
            }
            directions.forEach(direction -> problems.addAll(javaTypes.problems(name, direction)));
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void everyResponseRecordIsTheSchemaOfADocumentedAnswer() {
        Set<String> answered = new TreeSet<>();
        schemaUses().forEach((name, directions) -> {
            if (directions.contains(Direction.WRITE)) {
                document.javaType(document.schemas().get(name)).ifPresent(answered::add);
            }
        });

        Set<String> records = Stream.of(CheckResponse.class, StatusResponse.class,
                        LimitsResponse.class, UsageResponse.class, StatsResponse.class,
                        ApiError.class)
                .map(Class::getName)
                .collect(Collectors.toSet());

        assertThat(answered).containsAll(records);
    }

    @Test
    void everyExampleConformsToItsSchema() {
        SchemaConformance conformance = new SchemaConformance(document);
        List<String> problems = new ArrayList<>();

        document.operations().keySet().forEach(operation -> {
            for (JsonNode parameter : document.parameters(operation)) {
                if (parameter.has("example")) {
                    String where = operation + " parameter " + parameter.path("name").asText();
                    problems.addAll(conformance.problems(parameter.get("example"),
                            parameter.get("schema"), where));
                }
            }
            document.requestBody(operation).ifPresent(body -> problems.addAll(
                    mediaExampleProblems(conformance, body, operation + " request")));
            for (int status : document.statuses(operation)) {
                JsonNode response = document.response(operation, status).orElseThrow();
                String where = operation + " " + status;
                problems.addAll(mediaExampleProblems(conformance, response, where));
                response.path("headers").fields().forEachRemaining(header -> {
                    JsonNode resolved = document.resolve(header.getValue());
                    if (resolved.has("example")) {
                        problems.addAll(conformance.problems(resolved.get("example"),
                                resolved.get("schema"), where + " header " + header.getKey()));
                    }
                });
            }
        });

        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationRequiresABearerKey() {
        JsonNode scheme = document.root().path("components").path("securitySchemes")
                .path("bearerAuth");
        List<Operation> overriding = new ArrayList<>();

        document.operations().forEach((operation, node) -> {
            if (node.has("security")) {
                overriding.add(operation);
            }
        });

        assertThat(document.root().path("security").toString()).isEqualTo("[{\"bearerAuth\":[]}]");
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(overriding).isEmpty();
    }

    @Test
    void everyOperationDocumentsBadInputKeysAndUnexpectedErrors() {
        Map<Operation, Set<Integer>> missing = new TreeMap<>();

        served.keySet().forEach(operation -> {
            Set<Integer> expected = new TreeSet<>(Set.of(400, 401, 403, 500, 503));
            if (document.requestBody(operation).isPresent()) {
                expected.add(422);
            }
            expected.removeAll(document.statuses(operation));
            if (!expected.isEmpty()) {
                missing.put(operation, expected);
            }
        });

        assertThat(missing).isEmpty();
    }

    private List<String> bodyProblems(Operation operation, ResourceMethod method, Parameter entity,
            JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (!body.path("required").asBoolean()) {
            problems.add(operation + ": the request body must be required");
        }
        Set<String> consumed = method.getConsumedTypes().stream().map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        body.path("content").fieldNames().forEachRemaining(documented::add);
        if (!documented.equals(consumed)) {
            problems.add(operation + ": body media types documented " + documented + ", consumed "
                    + consumed);
        }
        JsonNode schema = body.path("content").path(ApiDocument.JSON).path("schema");
        Optional<String> type = document.javaType(schema);
        if (!type.equals(Optional.of(entity.getRawType().getName()))) {
            problems.add(operation + ": body schema describes " + type + ", the resource reads "
                    + entity.getRawType().getName());
        }
        return problems;
    }

    private static List<String> mediaExampleProblems(SchemaConformance conformance, JsonNode holder,
            String where) {
        List<String> problems = new ArrayList<>();
        holder.path("content").fields().forEachRemaining(media -> {
            JsonNode example = media.getValue().path("example");
            if (example.isMissingNode()) {
                problems.add(where + ": " + media.getKey() + " has no example");
            } else {
                JsonNode schema = media.getValue().path("schema");
                problems.addAll(conformance.problems(example, schema, where));
            }
        });
        return problems;
    }

    private static Optional<JsonNode> successSchema(Operation operation, int status) {
        JsonNode schema = document.response(operation, status).orElseThrow()
                .path("content").path(ApiDocument.JSON).path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(schema);
    }

    /**
     * For each component schema, whether an operation's request body refers to it (read) or one
     * of its answers does (write), directly or through other schemas.
     */
    private static Map<String, Set<Direction>> schemaUses() {
        Map<String, Set<Direction>> uses = new TreeMap<>();
        document.operations().keySet().forEach(operation -> {
            document.requestBody(operation).ifPresent(body -> document.schemasReachableFrom(body)
                    .forEach(name -> directions(uses, name).add(Direction.READ)));
            document.schemasReachableFrom(document.operation(operation).path("responses"))
                    .forEach(name -> directions(uses, name).add(Direction.WRITE));
        });
        return uses;
    }

    private static Set<Direction> directions(Map<String, Set<Direction>> uses, String name) {
        return uses.computeIfAbsent(name, key -> EnumSet.noneOf(Direction.class));
    }

    private static Set<String> parameterNames(ResourceMethod method, Source source) {
        return method.getInvocable().getParameters().stream()
                .filter(parameter -> parameter.getSource() == source)
                .map(Parameter::getSourceName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
