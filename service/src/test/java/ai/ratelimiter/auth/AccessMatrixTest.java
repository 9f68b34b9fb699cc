package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every endpoint of the service times every kind of caller, each with its exact status: the
 * tenant-isolation contract of issue 4. A new endpoint fails {@link #matrixCoversEveryEndpoint}
 * until it has a row here and a rule in {@link AccessPolicy}.
 */
class AccessMatrixTest {

    private static final int OK = 200;
    private static final int CREATED = 201;
    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    /** The callers, in the order of each row's expected statuses. */
    private static final List<String> CALLERS = List.of("bootstrap admin", "admin key", "service key",
            "own org key", "foreign org key", "no key", "malformed key", "wrong secret", "unknown key",
            "revoked key");

    private static TestApp app;
    private static String orgId;
    private static Map<String, Optional<String>> authorizations;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
        orgId = TestApp.newOrgId();
        ApiKeyIssuer issuer = new ApiKeyIssuer(TestServices.get().jdbi().onDemand(ApiKeyDao.class),
                new SecureRandom());
        IssuedKey service = issuer.issue(Role.SERVICE, null, "matrix");
        IssuedKey revoked = issuer.issue(Role.SERVICE, null, "matrix revoked");
        issuer.revoke(revoked.id());
        String wrongSecret = service.key().substring(0, service.key().length() - 64) + "0".repeat(64);

        authorizations = new LinkedHashMap<>();
        authorizations.put("bootstrap admin", bearer(app.adminKey()));
        authorizations.put("admin key", bearer(issuer.issue(Role.ADMIN, null, "matrix").key()));
        authorizations.put("service key", bearer(service.key()));
        authorizations.put("own org key", bearer(issuer.issue(Role.ORG, orgId, "matrix").key()));
        IssuedKey foreign = issuer.issue(Role.ORG, TestApp.newOrgId(), null);
        authorizations.put("foreign org key", bearer(foreign.key()));
        authorizations.put("no key", Optional.empty());
        authorizations.put("malformed key", Optional.of("Basic " + service.key()));
        authorizations.put("wrong secret", bearer(wrongSecret));
        authorizations.put("unknown key", bearer(ApiKeyFormat.generate(new SecureRandom()).key()));
        authorizations.put("revoked key", bearer(revoked.key()));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** The expected status of each caller, in the order of {@link #CALLERS}, per endpoint. */
    private static List<Row> rows() {
        String limits = "{\"requestsPerMinute\":100,\"tokensPerMinute\":1000,"
                + "\"requestsPerDay\":1000,\"tokensPerDay\":100000}";
        // Each usage record has a request id of its own, so that every allowed one is stored.
        Supplier<String> usage = () -> "{\"requestId\":\"matrix-" + UUID.randomUUID()
                + "\",\"inputTokens\":1,\"outputTokens\":1}";
        return List.of(
                new Row("POST", "/v1/orgs/{orgId}/checks", () -> "{\"estimatedTokens\":1}",
                        List.of(OK, OK, OK, OK, FORBIDDEN)),
                new Row("POST", "/v1/orgs/{orgId}/usage", usage,
                        List.of(CREATED, CREATED, CREATED, CREATED, FORBIDDEN)),
                new Row("GET", "/v1/orgs/{orgId}/usage/stats?period=day", null,
                        List.of(OK, OK, OK, OK, FORBIDDEN)),
                new Row("GET", "/v1/orgs/{orgId}/status", null,
                        List.of(OK, OK, FORBIDDEN, OK, FORBIDDEN)),
                new Row("GET", "/v1/orgs/{orgId}/limits", null,
                        List.of(OK, OK, FORBIDDEN, OK, FORBIDDEN)),
                new Row("PUT", "/v1/orgs/{orgId}/limits", () -> limits,
                        List.of(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
                new Row("DELETE", "/v1/orgs/{orgId}/limits", null,
                        List.of(OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryCallerWithItsExactStatus() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : rows()) {
            for (int i = 0; i < CALLERS.size(); i++) {
                String caller = CALLERS.get(i);
                int expected = i < row.authenticated().size() ? row.authenticated().get(i) : UNAUTHORIZED;
                tests.add(DynamicTest.dynamicTest(caller + ": " + row.endpoint() + " answers " + expected,
                        () -> assertAnswer(row, caller, expected)));
            }
        }
        return tests.stream();
    }

    private static void assertAnswer(Row row, String caller, int expected) {
        WebTarget target = app.anonymousTarget(row.pathOnly().replace("{orgId}", orgId));
        for (String parameter : row.queryParameters()) {
            String[] nameAndValue = parameter.split("=", 2);
            target = target.queryParam(nameAndValue[0], nameAndValue[1]);
        }
        Invocation.Builder request = target.request();
        authorizations.get(caller).ifPresent(value -> request.header(HttpHeaders.AUTHORIZATION, value));

        Response response = row.body() == null ? request.method(row.method())
                : request.method(row.method(), Entity.json(row.body().get()));
        Map<?, ?> body = response.readEntity(Map.class);

        assertThat(response.getStatus()).isEqualTo(expected);
        if (expected == UNAUTHORIZED) {
            assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE))
                    .isEqualTo("Bearer realm=\"ai-rate-limiter\"");
            assertThat(body.get("error")).isEqualTo("unauthorized");
        } else if (expected == FORBIDDEN) {
            assertThat(body.get("error")).isEqualTo("forbidden");
        }
    }

    @Test
    void matrixCoversEveryEndpoint() {
        ResourceConfig jersey = app.support().getEnvironment().jersey().getResourceConfig();
        Set<String> served = new TreeSet<>();
        jersey.getInstances().forEach(resource -> served.addAll(endpointsOf(resource.getClass())));
        jersey.getClasses().forEach(resourceClass -> served.addAll(endpointsOf(resourceClass)));
        Set<String> inMatrix = new TreeSet<>();
        rows().forEach(row -> inMatrix.add(row.endpoint().toString()));

        assertThat(served).isEqualTo(inMatrix);
    }

    @Test
    void policyHasARuleForEveryEndpoint() {
        AccessPolicy policy = AccessPolicy.standard();

        List<Endpoint> withoutRule = rows().stream().map(Row::endpoint)
                .filter(endpoint -> policy.find(endpoint).isEmpty()).toList();

        assertThat(withoutRule).isEmpty();
    }

    private static Set<String> endpointsOf(Class<?> resourceClass) {
        Set<String> endpoints = new TreeSet<>();
        if (resourceClass.getAnnotation(Path.class) == null) {
            return endpoints;
        }
        for (Method method : resourceClass.getMethods()) {
            boolean isResourceMethod = Stream.of(method.getAnnotations())
                    .anyMatch(a -> a.annotationType().getAnnotation(HttpMethod.class) != null);
            if (isResourceMethod) {
                Endpoint.of(resourceClass, method)
                        .ifPresent(endpoint -> endpoints.add(endpoint.toString()));
            }
        }
        return endpoints;
    }

    private static Optional<String> bearer(String key) {
        return Optional.of("Bearer " + key);
    }

    /**
     * One endpoint's row: the statuses of the five authenticated callers; the five without a
     * valid key always get 401.
     */
    private record Row(String method, String path, Supplier<String> body,
            List<Integer> authenticated) {
        Endpoint endpoint() {
            return new Endpoint(method, pathOnly());
        }

        String pathOnly() {
            int query = path.indexOf('?');
            return query < 0 ? path : path.substring(0, query);
        }

        List<String> queryParameters() {
            int query = path.indexOf('?');
            return query < 0 ? List.of() : List.of(path.substring(query + 1).split("&"));
        }
    }
}
