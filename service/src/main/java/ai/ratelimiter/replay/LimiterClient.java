package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The replay's view of the service's HTTP API: limits, checks, usage records and usage
 * statistics. Checks and usage records go out asynchronously through one shared
 * {@link HttpClient}; the rest are blocking calls made before or after the replay.
 * Thread-safe.
 */
public final class LimiterClient {

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Optional<String> authorization;

    /**
     * @param apiKey the key every call carries as {@code Authorization: Bearer}, if any
     */
    public LimiterClient(HttpClient http, URI baseUrl, Duration timeout, ObjectMapper json,
            Optional<String> apiKey) {
        this.http = http;
        this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
        this.timeout = timeout;
        this.json = json;
        this.authorization = apiKey.map(key -> "Bearer " + key);
    }

    /** Sets an organization's limits, or throws naming the organization and the status. */
    public void putLimits(String orgId, Limits limits) throws InterruptedException {
        ObjectNode body = json.createObjectNode()
                .put("requestsPerMinute", limits.requestsPerMinute())
                .put("tokensPerMinute", limits.tokensPerMinute())
                .put("requestsPerDay", limits.requestsPerDay())
                .put("tokensPerDay", limits.tokensPerDay());
        HttpResponse<String> response = sendBlocking(request(orgPath(orgId, "/limits"))
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (response.statusCode() != 200) {
            throw new ReplayClientException("setting limits failed: orgId=" + orgId + " status="
                    + response.statusCode());
        }
    }

    /**
     * Reads the organization's status, which starts its limiter and loads its limits without
     * consuming anything; returns the HTTP status. Throws when the service cannot be reached.
     */
    public int readStatus(String orgId) throws InterruptedException {
        return sendBlocking(request(orgPath(orgId, "/status")).GET().build()).statusCode();
    }

    /** The organization's limits as the service reports them; empty when it does not answer 200. */
    public Optional<Limits> findLimits(String orgId) throws InterruptedException {
        Optional<JsonNode> body = getJson(orgPath(orgId, "/limits"));
        return body.map(node -> node.path("limits"))
                .filter(JsonNode::isObject)
                .map(limits -> new Limits(limits.path("requestsPerMinute").asLong(),
                        limits.path("tokensPerMinute").asLong(),
                        limits.path("requestsPerDay").asLong(),
                        limits.path("tokensPerDay").asLong()));
    }

    /** Sends the check of {@code planned}; the future always completes normally. */
    public CompletableFuture<CheckAnswer> check(PlannedRequest planned) {
        ObjectNode body = json.createObjectNode()
                .put("estimatedTokens", planned.estimatedTokens())
                .put("requestId", planned.requestId());
        HttpRequest request = request(orgPath(planned.orgId(), "/checks"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(this::toCheckAnswer)
                .exceptionally(failure -> CheckAnswer.failed(describe(failure)));
    }

    /**
     * Sends the usage record of {@code planned} with its actual tokens; completes with
     * {@code null} when the service acknowledged it (201 stored, 200 stored before), otherwise
     * with what went wrong. The future always completes normally.
     */
    public CompletableFuture<String> recordUsage(PlannedRequest planned) {
        ObjectNode body = json.createObjectNode()
                .put("requestId", planned.requestId())
                .put("inputTokens", planned.inputTokens())
                .put("outputTokens", planned.outputTokens())
                .put("model", planned.model())
                .put("featureType", planned.featureType());
        HttpRequest request = request(orgPath(planned.orgId(), "/usage"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() == 201 || response.statusCode() == 200
                        ? (String) null : "usage HTTP " + response.statusCode())
                .exceptionally(failure -> "usage " + describe(failure));
    }

    /** The {@code totals} of the organization's usage statistics between two instants. */
    public Optional<UsageTotals> findUsageTotals(String orgId, Instant from, Instant to)
            throws InterruptedException {
        String query = "?from=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
                + "&to=" + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8);
        return getJson(orgPath(orgId, "/usage/stats") + query)
                .map(node -> node.path("totals"))
                .filter(JsonNode::isObject)
                .map(totals -> new UsageTotals(totals.path("requests").asLong(),
                        totals.path("inputTokens").asLong(), totals.path("outputTokens").asLong()));
    }

    private CheckAnswer toCheckAnswer(HttpResponse<String> response) {
        int status = response.statusCode();
        // A denial by the outage policy answers 503, so it counts among the errors.
        if (status != 200 && status != 429) {
            return CheckAnswer.failed("HTTP " + status);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            return CheckAnswer.failed("unreadable answer");
        }
        JsonNode decidedAt = body.path("decidedAtMs");
        if (!decidedAt.canConvertToLong()) {
            return CheckAnswer.failed("answer without decidedAtMs");
        }
        if (status == 200) {
            return CheckAnswer.allowed(body.path("duplicate").asBoolean(false), decidedAt.asLong(),
                    body.path("decidedWithoutRedis").asBoolean(false));
        }
        return CheckAnswer.denied(body.path("reason").asText("UNKNOWN"), decidedAt.asLong());
    }

    private Optional<JsonNode> getJson(String url) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = sendBlocking(request(url).GET().build());
        } catch (ReplayClientException e) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readTree(response.body()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> sendBlocking(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ReplayClientException("cannot reach the service: " + request.method() + " "
                    + request.uri() + " (" + describe(e) + ")", e);
        }
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private String orgPath(String orgId, String suffix) {
        return baseUrl + "/v1/orgs/" + orgId + suffix;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName();
    }
}
