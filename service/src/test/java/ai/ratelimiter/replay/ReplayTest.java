package ai.ratelimiter.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.ratelimiter.RateLimiterApplication;
import ai.ratelimiter.RateLimiterConfiguration;
import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.testing.TestApp;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import jakarta.ws.rs.client.Entity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay against a whole running service on real Redis and Postgres. */
class ReplayTest {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");
    private static final LocalDateTime TRACE_START =
            LocalDateTime.parse("2023-11-16T18:17:03.979960");

    private static TestApp app;

    @TempDir
    Path directory;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** A trace in the shared data's format: CRLF, seven fractional digits, rows every 50 ms. */
    private Path trace(long[]... inputAndOutputTokens) throws IOException {
        StringBuilder text = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\r\n");
        for (int i = 0; i < inputAndOutputTokens.length; i++) {
            long[] tokens = inputAndOutputTokens[i];
            text.append(TIMESTAMP.format(TRACE_START.plusNanos(i * 50_000_000L))).append(',')
                    .append(tokens[0]).append(',').append(tokens[1]).append("\r\n");
        }
        Path file = directory.resolve("trace-" + UUID.randomUUID() + ".csv");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    private static long[][] rows(int count, long input, long output) {
        long[][] rows = new long[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = new long[] {input, output};
        }
        return rows;
    }

    private static ReplayOptions.Builder options(Path trace) {
        return ReplayOptions.builder(trace, URI.create("http://127.0.0.1:" + app.port()))
                .orgPrefix("replay-" + UUID.randomUUID().toString().substring(0, 8))
                .progressInterval(Duration.ZERO)
                .apiKey(app.adminKey());
    }

    private static ReplayResult replay(ReplayOptions options) throws Exception {
        return new Replay(options, discard(), discard()).run();
    }

    private static PrintStream discard() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void rpmLimitOfFiveAdmitsFiveOfTwelveChecksPerOrganization() throws Exception {
        Path trace = trace(rows(24, 100, 20));
        Limits limits = new Limits(5, 1_000_000, 10_000, 5_000_000);

        ReplayResult result = replay(options(trace).organizations(2).limitsToSet(limits).build());

        assertThat(result.organizations()).hasSize(2).allSatisfy(org -> {
            assertThat(org.counts().sent()).isEqualTo(12);
            assertThat(org.counts().allowed()).isEqualTo(5);
            assertThat(org.counts().deniedByReason()).isEqualTo(Map.of("RATE_LIMIT_RPM", 7L));
            assertThat(org.counts().errors()).isZero();
            assertThat(org.minute()).isEqualTo(new Peak(5, 600));
            assertThat(org.day()).isEqualTo(new Peak(5, 600));
            assertThat(org.limits()).isEqualTo(limits);
            assertThat(org.exceededLimits()).isEmpty();
        });
        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_OK);
    }

    @Test
    void tpmLimitDeniesWhatDoesNotFitAndRefusesARequestTooLarge() throws Exception {
        List<long[]> rows = new ArrayList<>(List.of(rows(12, 250, 50)));
        rows.add(new long[] {1500, 500});
        Path trace = trace(rows.toArray(new long[0][]));

        ReplayResult result = replay(options(trace).organizations(1)
                .limitsToSet(new Limits(100, 1000, 10_000, 5_000_000)).build());

        OrgSummary org = result.organizations().get(0);
        assertThat(org.counts().allowed()).isEqualTo(3);
        assertThat(org.counts().deniedByReason())
                .isEqualTo(Map.of("RATE_LIMIT_TPM", 9L, "REQUEST_TOO_LARGE", 1L));
        assertThat(org.minute()).isEqualTo(new Peak(3, 900));
        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_OK);
    }

    @Test
    void estimateFactorScalesWhatEachCheckAsksFor() throws Exception {
        // 100 + 33 = 133 actual tokens, estimated as round(199.5) = 200: five fit in TPM 1000.
        Path trace = trace(rows(12, 100, 33));

        ReplayResult result = replay(options(trace).organizations(1).estimateFactor(1.5)
                .limitsToSet(new Limits(100, 1000, 10_000, 5_000_000)).build());

        OrgSummary org = result.organizations().get(0);
        assertThat(org.counts().allowed()).isEqualTo(5);
        assertThat(org.counts().deniedByReason()).isEqualTo(Map.of("RATE_LIMIT_TPM", 7L));
        assertThat(org.minute()).isEqualTo(new Peak(5, 1000));
        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_OK);
    }

    @Test
    void checksWithoutADecisionCountAsErrorsAndExitThree() throws Exception {
        Path trace = trace(rows(3, 10, 10));
        URI wrongPath = URI.create("http://127.0.0.1:" + app.port() + "/no-such-prefix");

        ReplayResult result = replay(ReplayOptions.builder(trace, wrongPath).organizations(1)
                .progressInterval(Duration.ZERO).build());

        OrgSummary org = result.organizations().get(0);
        assertThat(org.counts().errorsByKind()).isEqualTo(Map.of("HTTP 404", 3L));
        assertThat(org.counts().allowed()).isZero();
        assertThat(org.limits()).isNull();
        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_HTTP_ERRORS);
    }

    @Test
    void unreachableServiceStopsTheReplayBeforeAnyCheck() throws Exception {
        Path trace = trace(rows(3, 10, 10));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + closedPort);
        ReplayOptions options = ReplayOptions.builder(trace, closed)
                .organizations(1).orgPrefix("nowhere").progressInterval(Duration.ZERO).build();

        assertThatThrownBy(() -> replay(options))
                .isInstanceOf(ReplayClientException.class)
                .hasMessage("cannot reach the service: GET http://127.0.0.1:" + closedPort
                        + "/v1/orgs/nowhere-01/status (ConnectException)");
    }

    @Test
    void refusedApiKeyStopsTheReplayBeforeAnyCheck() throws Exception {
        Path trace = trace(rows(3, 10, 10));
        URI service = URI.create("http://127.0.0.1:" + app.port());
        ReplayOptions options = ReplayOptions.builder(trace, service)
                .organizations(1).orgPrefix("refused").progressInterval(Duration.ZERO).build();

        assertThatThrownBy(() -> replay(options))
                .isInstanceOf(ReplayClientException.class)
                .hasMessage("the service refused the API key (HTTP 401 for refused-01); pass a key"
                        + " with --api-key or AI_API_KEY");
    }

    @Test
    void replayCommandEndsWithTheReplaysExitStatus() throws Exception {
        Path trace = trace(rows(3, 10, 10));
        String wrongPath = "http://127.0.0.1:" + app.port() + "/no-such-prefix";
        String[] args = {"replay", "--trace", trace.toString(), "--orgs", "1",
            "--progress-seconds", "0", "--url", wrongPath};

        Optional<Throwable> failure = cli().run(args);

        assertThat(failure).get().isInstanceOfSatisfying(ReplayFailedException.class,
                replayFailed -> assertThat(replayFailed.exitCode()).isEqualTo(3));
    }

    @Test
    void replayCommandSucceedsWithoutFailureWhenAllIsWithinLimits() throws Exception {
        Path trace = trace(rows(3, 10, 10));
        String[] args = {"replay", "--trace", trace.toString(), "--orgs", "3", "--speedup", "10",
            "--progress-seconds", "0", "--set-limits", "2,1000,100,100000", "--url",
            "http://127.0.0.1:" + app.port(), "--api-key", app.adminKey()};

        Optional<Throwable> failure = cli().run(args);

        assertThat(failure).isEmpty();
    }

    @Test
    void usageRecordsReconcileEstimatesAndMatchTheStatistics() throws Exception {
        assumeThat(usageEndpointStatus()).as("POST /v1/orgs/{orgId}/usage exists on this branch")
                .isNotEqualTo(404);
        // Rows of 150 + 50 = 200 actual tokens estimated at 300. Each usage record follows its
        // check at once, 50 ms before the next check, so the window holds 200 per earlier check:
        // 3 * 200 + 300 fits in TPM 1000, 4 * 200 + 300 does not.
        Path trace = trace(rows(12, 150, 50));

        ReplayResult result = replay(options(trace).organizations(1).usage(true).estimateFactor(1.5)
                .limitsToSet(new Limits(100, 1000, 10_000, 5_000_000)).build());

        OrgSummary org = result.organizations().get(0);
        assertThat(org.counts().allowed()).isEqualTo(4);
        assertThat(org.counts().deniedByReason()).isEqualTo(Map.of("RATE_LIMIT_TPM", 8L));
        assertThat(org.counts().usageAcknowledged()).isEqualTo(new UsageTotals(4, 600, 200));
        assertThat(org.usageStats()).isEqualTo(new UsageTotals(4, 600, 200));
        assertThat(org.minute()).isEqualTo(new Peak(4, 800));
        assertThat(org.minuteEstimates()).isEqualTo(new Peak(4, 1200));
        assertThat(result.exitCode()).isEqualTo(ReplayResult.EXIT_OK);
    }

    private static int usageEndpointStatus() {
        return app.target("/v1/orgs/" + TestApp.newOrgId() + "/usage").request()
                .post(Entity.json(Map.of("requestId", "probe-" + UUID.randomUUID(),
                        "inputTokens", 1, "outputTokens", 1)))
                .getStatus();
    }

    private static Cli cli() {
        RateLimiterApplication application = new RateLimiterApplication();
        Bootstrap<RateLimiterConfiguration> bootstrap = new Bootstrap<>(application);
        application.initialize(bootstrap);
        return new Cli(new JarLocation(ReplayTest.class), bootstrap, discard(), discard());
    }
}
