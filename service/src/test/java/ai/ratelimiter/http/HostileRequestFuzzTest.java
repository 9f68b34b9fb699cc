package ai.ratelimiter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.auth.ApiKeyDao;
import ai.ratelimiter.auth.ApiKeyFormat;
import ai.ratelimiter.auth.ApiKeyIssuer;
import ai.ratelimiter.auth.IssuedKey;
import ai.ratelimiter.auth.Role;
import ai.ratelimiter.testing.ConsoleCapture;
import ai.ratelimiter.testing.ManualClock;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Sends {@link #REQUESTS} generated hostile requests (see {@link HostileRequests}) to one
 * service instance on loopback, and asserts that none got a 2xx or a 5xx (but Jetty's 505 for an
 * unknown HTTP version), that the target
 * organizations' windows, limits and usage are exactly as before, that no throw-away
 * organization left a trace in Redis or Postgres, and that the service still serves. The
 * window clock stands still, so "as before" is exact. Seeded: {@code -Dfuzz.seed=N} replays.
 */
class HostileRequestFuzzTest {

    private static final int REQUESTS = 10_000;
    private static final int THREADS = 4;
    private static final long SEED = Long.getLong("fuzz.seed", 20_261_204L);
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final int CLOSED_WITHOUT_ANSWER = -1;
    /** Bodies over the service's bound, which it may refuse before reading them. */
    private static final int MAX_BODY_BYTES = 16_384;
    /** Jetty's answer to a request line with HTTP/9.9, before the service sees it. */
    private static final int HTTP_VERSION_NOT_SUPPORTED = 505;

    private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-03-04T10:20:30Z"));

    private static TestApp app;
    private static HostileRequests.Targets targets;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(CLOCK);
        ApiKeyIssuer issuer = new ApiKeyIssuer(TestServices.get().jdbi().onDemand(ApiKeyDao.class),
                new SecureRandom());
        String orgA = TestApp.newOrgId();
        IssuedKey service = issuer.issue(Role.SERVICE, null, "fuzz");
        IssuedKey revoked = issuer.issue(Role.SERVICE, null, "fuzz revoked");
        issuer.revoke(revoked.id());
        targets = new HostileRequests.Targets(orgA, TestApp.newOrgId(),
                "fuzz-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt()), app.adminKey(),
                service.key(), issuer.issue(Role.ORG, orgA, "fuzz").key(), revoked.key(),
                service.key().substring(0, service.key().length() - 64) + "f".repeat(64),
                ApiKeyFormat.generate(new SecureRandom()).key());
        arrangeTargets();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** Organization A has limits of its own; B has the defaults and three checks consumed. */
    private static void arrangeTargets() {
        Response limits = app.target("/v1/orgs/" + targets.orgA() + "/limits").request()
                .put(Entity.json(Map.of("requestsPerMinute", 500, "tokensPerMinute", 50_000,
                        "requestsPerDay", 5_000, "tokensPerDay", 900_000)));
        assertThat(limits.getStatus()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            Response check = app.target("/v1/orgs/" + targets.orgB() + "/checks").request()
                    .post(Entity.json(Map.of("estimatedTokens", 100)));
            assertThat(check.getStatus()).isEqualTo(200);
        }
    }

    @Test
    void hostileRequestsGetClientErrorsAndChangeNothing() throws Exception {
        Map<String, String> before = observeTargets();
        long usageRowsBefore = usageRowsOfTargets();

        FuzzResult result;
        try (ConsoleCapture console = ConsoleCapture.start(w -> !ConsoleCapture.isRequestLog(w))) {
            result = sendHostileRequests();
        }

        System.out.printf("fuzz: seed=%d requests=%d resentOnFreshConnection=%d elapsedMs=%d"
                + " statuses=%s byDefect=%s%n", SEED, result.sent(), result.resent(),
                result.elapsedMs(), result.statuses(), result.byDefect());
        assertThat(result.sent()).isEqualTo(REQUESTS);
        assertThat(result.unexpected()).as("requests answered outside their allowed statuses").isEmpty();
        assertThat(result.statuses().keySet()).allMatch(status -> status >= 400 && status < 500
                || status == HTTP_VERSION_NOT_SUPPORTED || status == CLOSED_WITHOUT_ANSWER);
        assertThat(observeTargets()).isEqualTo(before);
        assertThat(usageRowsOfTargets()).isEqualTo(usageRowsBefore);
        assertThat(redisKeysOfThrowAwayOrganizations()).isEmpty();
        assertThat(limitRowsOfThrowAwayOrganizations()).isZero();
        assertServiceStillServes();
    }

    private static FuzzResult sendHostileRequests() throws InterruptedException {
        HostileRequests generator = new HostileRequests(targets);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> byDefect = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        long startNanos = System.nanoTime();

        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        for (int i = 0; i < REQUESTS; i++) {
            int index = i;
            workers.execute(() -> {
                HostileRequests.Request request = generator.next(new Random(SEED * 1_000_003L + index));
                int status = send(client, request);
                if (status == CLOSED_WITHOUT_ANSWER && request.raw() == null) {
                    // The client reused a connection the server had just closed after an error
                    // answer; the same request on a fresh connection tells what the server says.
                    resent.incrementAndGet();
                    status = send(client, request);
                }
                sent.incrementAndGet();
                statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                byDefect.computeIfAbsent(request.defect() + " " + status, s -> new LongAdder()).increment();
                if (!request.allowed().contains(status) && !(status == CLOSED_WITHOUT_ANSWER
                        && mayCloseWithoutAnswer(request))) {
                    unexpected.add("#" + index + " answered " + status + ": " + request.describe());
                }
            });
        }
        workers.shutdown();
        boolean finished = workers.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        workers.shutdownNow();
        assertThat(finished).as("fuzz finished within %s", DEADLINE).isTrue();

        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        return new FuzzResult(sent.get(), resent.get(), elapsedMs, sorted(statuses),
                sortedByName(byDefect), new ArrayList<>(unexpected));
    }

    /**
     * Broken HTTP may be dropped without an answer; so may an oversized body, which the server
     * refuses and closes on before reading it while the client is still sending (the client
     * then sees a reset, not the answer).
     */
    private static boolean mayCloseWithoutAnswer(HostileRequests.Request request) {
        return request.raw() != null || request.body() != null && request.body().length > MAX_BODY_BYTES;
    }

    private static int send(HttpClient client, HostileRequests.Request request) {
        try {
            return request.raw() != null ? sendRaw(request.raw()) : sendWithClient(client, request);
        } catch (IOException e) {
            return CLOSED_WITHOUT_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CLOSED_WITHOUT_ANSWER;
        }
    }

    private static int sendWithClient(HttpClient client, HostileRequests.Request request)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body;
        if (request.body() == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (request.chunked()) {
            byte[] bytes = request.body();
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(request.body());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + request.path()))
                .timeout(Duration.ofSeconds(10))
                .method(request.method(), body);
        for (String[] header : request.headers()) {
            builder.header(header[0], header[1]);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Writes the bytes as they are and reads the status line of whatever comes back. */
    private static int sendRaw(byte[] raw) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException e) {
                // The server may refuse and close before reading everything; its answer still counts.
            }
            return statusOf(readSome(socket.getInputStream()));
        }
    }

    private static String readSome(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int count;
            while (answer.size() < 65_536 && (count = in.read(buffer)) >= 0) {
                answer.write(buffer, 0, count);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // What arrived before the timeout or reset is the answer.
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static int statusOf(String answer) {
        if (!answer.startsWith("HTTP/1.") || answer.length() < 12) {
            return CLOSED_WITHOUT_ANSWER;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** What an admin sees of the target organizations: their windows and limits. */
    private static Map<String, String> observeTargets() {
        Map<String, String> observed = new TreeMap<>();
        for (String orgId : List.of(targets.orgA(), targets.orgB())) {
            for (String what : List.of("status", "limits")) {
                Response response = app.target("/v1/orgs/" + orgId + "/" + what).request().get();
                String body = response.readEntity(String.class);
                observed.put(orgId + " " + what, response.getStatus() + " " + body);
            }
        }
        return observed;
    }

    private static long usageRowsOfTargets() {
        return TestServices.get().jdbi().withHandle(handle -> handle
                .createQuery("SELECT count(*) FROM ai_usage"
                        + " WHERE org_id IN (:a, :b) OR org_id LIKE :prefix")
                .bind("a", targets.orgA())
                .bind("b", targets.orgB())
                .bind("prefix", targets.throwAwayPrefix() + "%")
                .mapTo(Long.class)
                .one());
    }

    private static long limitRowsOfThrowAwayOrganizations() {
        return TestServices.get().jdbi().withHandle(handle -> handle
                .createQuery("SELECT count(*) FROM ai_rate_limits WHERE org_id LIKE :prefix")
                .bind("prefix", targets.throwAwayPrefix() + "%")
                .mapTo(Long.class)
                .one());
    }

    private static List<String> redisKeysOfThrowAwayOrganizations() {
        List<String> keys = new ArrayList<>();
        try (JedisPooled redis = TestServices.get().newRedisClient()) {
            ScanParams params = new ScanParams().match("*" + targets.throwAwayPrefix() + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, params);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return keys;
    }

    private static void assertServiceStillServes() {
        Response health = app.adminTarget("/healthcheck").request().get();
        Response check = app.target("/v1/orgs/" + targets.orgB() + "/checks").request()
                .post(Entity.json(Map.of("estimatedTokens", 100)));

        assertThat(health.getStatus()).isEqualTo(200);
        assertThat(check.getStatus()).isEqualTo(200);
        assertThat(check.getHeaderString("x-ratelimit-remaining-requests")).isEqualTo("56");
    }

    private static Map<Integer, Long> sorted(Map<Integer, LongAdder> counts) {
        Map<Integer, Long> sorted = new TreeMap<>();
        counts.forEach((key, count) -> sorted.put(key, count.sum()));
        return sorted;
    }

    private static Map<String, Long> sortedByName(Map<String, LongAdder> counts) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((key, count) -> sorted.put(key, count.sum()));
        return sorted;
    }

    private record FuzzResult(int sent, int resent, long elapsedMs, Map<Integer, Long> statuses,
            Map<String, Long> byDefect, List<String> unexpected) {
    }
}
