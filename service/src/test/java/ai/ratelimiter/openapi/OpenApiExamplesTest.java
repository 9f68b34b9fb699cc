package ai.ratelimiter.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.auth.ApiKeyDao;
import ai.ratelimiter.auth.ApiKeyIssuer;
import ai.ratelimiter.auth.Role;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends the document's examples to a running instance and checks its answers against the
 * document: every served operation answers its example with a documented status, body and
 * headers; without a key it answers the documented 401, and exactly the roles its
 * {@code x-roles} names may call it (others, and another organization's key, get the documented
 * 403); required request properties are required and the others optional; undocumented
 * properties and malformed organization ids are refused as documented; repeated and conflicting
 * usage records and a denied check answer the documented 200, 409 and 429. Also checks that the
 * service serves the document itself.
 */
class OpenApiExamplesTest {

    private static TestApp app;
    private static ApiDocument document;
    private static Map<Operation, ResourceMethod> served;
    private static ObjectMapper mapper;
    private static DocumentedAnswers answers;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
        document = ApiDocument.load();
        served = ServedOperations.under(
                app.support().getEnvironment().jersey().getResourceConfig(), "/v1");
        mapper = app.support().getEnvironment().getObjectMapper();
        answers = new DocumentedAnswers(document);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void applicationPortServesTheDocumentWithoutAnApiKey() {
        Client anonymous = ClientBuilder.newClient();
        try {
            Response response = anonymous.target("http://127.0.0.1:" + app.port())
                    .path("openapi.yaml").request().get();

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeaderString("Content-Type"))
                    .isEqualTo("application/yaml;charset=utf-8");
            assertThat(response.readEntity(byte[].class)).isEqualTo(document.bytes());
        } finally {
            anonymous.close();
        }
    }

    @Test
    void everyServedOperationAnswersItsExampleAsDocumented() {
        List<String> problems = new ArrayList<>();

        for (Operation operation : served.keySet()) {
            ServedAnswer answer = send(operation, TestApp.newOrgId(), example(operation));

            if (answer.status() / 100 != 2) {
                problems.add(operation + ": example answered " + answer);
            }
            problems.addAll(answers.problems(operation, answer));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void requiredRequestPropertiesAreRequiredAndTheOthersOptional() {
        List<String> problems = new ArrayList<>();

        for (Operation operation : operationsWithBodies()) {
            ObjectNode example = example(operation).orElseThrow();
            Set<String> required = requiredProperties(operation);
            for (String property : iterable(example)) {
                ObjectNode without = example.deepCopy();
                without.remove(property);

                ServedAnswer answer = send(operation, TestApp.newOrgId(), Optional.of(without));

                boolean refused = answer.status() == 400 || answer.status() == 422;
                String field = answer.body().path("field").asText(null);
                if (required.contains(property) && !(refused && property.equals(field))) {
                    problems.add(operation + " without required " + property + ": " + answer);
                } else if (!required.contains(property) && answer.status() / 100 != 2) {
                    problems.add(operation + " without optional " + property + ": " + answer);
                }
                problems.addAll(answers.problems(operation, answer));
            }
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void propertiesTheDocumentDoesNotNameAreRefusedNamingThem() {
        List<String> problems = new ArrayList<>();

        for (Operation operation : operationsWithBodies()) {
            ObjectNode body = example(operation).orElseThrow();
            body.put("undocumentedProperty", 1);

            ServedAnswer answer = send(operation, TestApp.newOrgId(), Optional.of(body));

            if (answer.status() != 400
                    || !"undocumentedProperty".equals(answer.body().path("field").asText())) {
                problems.add(operation + " with an undocumented property: " + answer);
            }
            problems.addAll(answers.problems(operation, answer));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void organizationIdsOutsideTheDocumentedPatternAnswerTheDocumented400() {
        List<String> problems = new ArrayList<>();

        for (Operation operation : served.keySet()) {
            ServedAnswer answer = send(operation, "bad!org", example(operation));

            if (answer.status() != 400 || !"orgId".equals(answer.body().path("field").asText())) {
                problems.add(operation + " for organization bad!org: " + answer);
            }
            problems.addAll(answers.problems(operation, answer));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void everyServedOperationWithoutAKeyAnswersTheDocumented401() {
        List<String> problems = new ArrayList<>();

        for (Operation operation : served.keySet()) {
            String path = operation.template().replace("{orgId}", TestApp.newOrgId());
            ServedAnswer answer = send(app.anonymousTarget(path), operation, example(operation));

            if (answer.status() != 401 || answer.header("WWW-Authenticate").isEmpty()) {
                problems.add(operation + " without a key: " + answer);
            }
            problems.addAll(answers.problems(operation, answer));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void exactlyTheRolesTheDocumentNamesMayCallEachOperation() throws Exception {
        ApiKeyIssuer issuer = new ApiKeyIssuer(TestServices.get().jdbi().onDemand(ApiKeyDao.class),
                new SecureRandom());
        String orgId = TestApp.newOrgId();
        Map<String, String> keys = Map.of(
                "service", issuer.issue(Role.SERVICE, null, "openapi").key(),
                "org", issuer.issue(Role.ORG, orgId, "openapi").key());
        String otherOrganizationsKey = issuer.issue(Role.ORG, TestApp.newOrgId(), "openapi").key();
        List<String> problems = new ArrayList<>();

        for (Operation operation : served.keySet()) {
            Set<String> roles = documentedRoles(operation);
            String path = operation.template().replace("{orgId}", orgId);
            for (Map.Entry<String, String> key : keys.entrySet()) {
                WebTarget target = app.target(path, key.getValue());
                ServedAnswer answer = send(target, operation, example(operation));

                boolean allowed = answer.status() / 100 == 2;
                if (allowed != roles.contains(key.getKey()) || !allowed && answer.status() != 403) {
                    problems.add(operation + " with a " + key.getKey() + " key (documented roles "
                            + roles + "): " + answer);
                }
                problems.addAll(answers.problems(operation, answer));
            }
            ServedAnswer foreign = send(app.target(path, otherOrganizationsKey), operation,
                    example(operation));
            if (foreign.status() != 403) {
                problems.add(operation + " with another organization's key: " + foreign);
            }
            problems.addAll(answers.problems(operation, foreign));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void documentedRolesAreTheServicesRolesAndAdminMayCallEverything() {
        Set<String> roles = new TreeSet<>();
        for (Role role : Role.values()) {
            roles.add(role.externalName());
        }
        List<String> problems = new ArrayList<>();

        for (Operation operation : served.keySet()) {
            Set<String> documented = documentedRoles(operation);
            if (!roles.containsAll(documented) || !documented.contains("admin")) {
                problems.add(operation + ": x-roles " + documented + ", roles " + roles);
            }
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void repeatedAndConflictingUsageRecordsAnswerTheDocumented200And409() {
        Operation usage = new Operation("POST", "/v1/orgs/{orgId}/usage");
        String orgId = TestApp.newOrgId();
        ObjectNode record = example(usage).orElseThrow();
        ObjectNode changed = record.deepCopy();
        changed.put("outputTokens", record.path("outputTokens").asLong() + 1);
        ServedAnswer stored = send(usage, orgId, Optional.of(record));

        ServedAnswer repeated = send(usage, orgId, Optional.of(record));
        ServedAnswer conflicting = send(usage, orgId, Optional.of(changed));

        assertThat(List.of(stored.status(), repeated.status(), conflicting.status()))
                .containsExactly(201, 200, 409);
        assertThat(answers.problems(usage, stored)).isEmpty();
        assertThat(answers.problems(usage, repeated)).isEmpty();
        assertThat(answers.problems(usage, conflicting)).isEmpty();
    }

    @Test
    void deniedCheckAnswersTheDocumented429() {
        Operation setLimits = new Operation("PUT", "/v1/orgs/{orgId}/limits");
        Operation check = new Operation("POST", "/v1/orgs/{orgId}/checks");
        String orgId = TestApp.newOrgId();
        ObjectNode oneRequestPerMinute = example(setLimits).orElseThrow();
        oneRequestPerMinute.put("requestsPerMinute", 1);
        ServedAnswer limitsSet = send(setLimits, orgId, Optional.of(oneRequestPerMinute));
        ServedAnswer allowed = send(check, orgId, example(check));
        assertThat(limitsSet.status()).isEqualTo(200);
        assertThat(allowed.status()).isEqualTo(200);

        ServedAnswer denied = send(check, orgId, example(check));

        assertThat(denied.status()).isEqualTo(429);
        assertThat(denied.body().path("reason").asText()).isEqualTo("RATE_LIMIT_RPM");
        assertThat(denied.header("Retry-After")).isPresent();
        assertThat(answers.problems(check, denied)).isEmpty();
    }

    /** The operation's request body example with a request id no other call used; or none. */
    private static Optional<ObjectNode> example(Operation operation) {
        return document.requestBody(operation).map(body -> {
            ObjectNode example = (ObjectNode) body.path("content").path(ApiDocument.JSON)
                    .path("example").deepCopy();
            if (example.has("requestId")) {
                example.put("requestId", "req-" + UUID.randomUUID());
            }
            return example;
        });
    }

    private static Set<String> documentedRoles(Operation operation) {
        Set<String> roles = new TreeSet<>();
        document.operation(operation).path("x-roles").forEach(role -> roles.add(role.asText()));
        return roles;
    }

    private static List<Operation> operationsWithBodies() {
        List<Operation> operations = new ArrayList<>();
        for (Operation operation : served.keySet()) {
            if (document.requestBody(operation).isPresent()) {
                operations.add(operation);
            }
        }
        return operations;
    }

    private static Set<String> requiredProperties(Operation operation) {
        JsonNode schema = document.resolve(document.requestBody(operation).orElseThrow()
                .path("content").path(ApiDocument.JSON).path("schema"));
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        return required;
    }

    private static Iterable<String> iterable(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ServedAnswer send(Operation operation, String orgId, Optional<ObjectNode> body) {
        String path = operation.template().replace("{orgId}", orgId);
        return send(app.target(path), operation, body);
    }

    private static ServedAnswer send(WebTarget target, Operation operation,
            Optional<ObjectNode> body) {
        Invocation.Builder request = target.request(MediaType.APPLICATION_JSON_TYPE);
        Response response = body.isPresent()
                ? request.method(operation.method(), Entity.json(body.get().toString()))
                : request.method(operation.method());
        return ServedAnswer.read(response, mapper);
    }
}
