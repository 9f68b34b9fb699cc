package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.RateLimiterApplication;
import ai.ratelimiter.RateLimiterConfiguration;
import ai.ratelimiter.testing.TestApp;
import ai.ratelimiter.testing.TestServices;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.util.JarLocation;
import jakarta.ws.rs.client.Entity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code keys} command run as an operator runs it, against the test Postgres, and the
 * keys it makes used against a running service whose key cache lives {@link #CACHE_TTL_MS}.
 */
class KeysCommandTest {

    private static final long CACHE_TTL_MS = 300;
    private static final Pattern KEY = Pattern.compile("airl_([0-9a-f]{16})_[0-9a-f]{64}");

    @TempDir
    static Path directory;

    private static Path configFile;
    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        TestServices services = TestServices.get();
        configFile = directory.resolve("keys.yml");
        Files.writeString(configFile, String.join("\n",
                "database:",
                "  driverClass: org.postgresql.Driver",
                "  url: " + services.databaseUrl(),
                "  user: " + services.databaseUser(),
                "  password: '" + services.databasePassword() + "'",
                "logging:",
                "  type: external",
                ""));
        app = TestApp.start(ConfigOverride.config("auth.cacheTtl", CACHE_TTL_MS + "ms"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void createdKeyIsPrintedOnceAndWorksForItsOrganization() {
        String orgId = TestApp.newOrgId();

        CommandResult result = keys("create", "--role", "org", "--org", orgId);
        String key = result.key();
        int status = app.target("/v1/orgs/" + orgId + "/checks", key).request()
                .post(Entity.json(Map.of("estimatedTokens", 1))).getStatus();

        assertThat(result.error()).isEmpty();
        assertThat(result.out().lines().filter(line -> line.contains(key)).count()).isEqualTo(1);
        assertThat(status).isEqualTo(200);
    }

    @Test
    void listShowsEachKeyWithoutItsSecretOrHash() {
        String orgId = TestApp.newOrgId();
        String key = keys("create", "--role", "org", "--org", orgId, "--label", "billing team").key();
        String id = idOf(key);

        CommandResult list = keys("list");

        String line = list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(line.split("\t")).hasSize(6);
        assertThat(line).startsWith(id + "\torg\t" + orgId + "\t").endsWith("\t-\tbilling team");
        assertThat(list.out()).doesNotContain(key.substring(key.length() - 64));
        assertThat(list.out()).doesNotContain(HexFormat.of().formatHex(ApiKeyFormat.sha256(key)));
    }

    @Test
    void revokedKeyIsRefusedOnceTheKeyCacheExpires() throws Exception {
        String key = keys("create", "--role", "service").key();
        String orgId = TestApp.newOrgId();
        int before = app.target("/v1/orgs/" + orgId + "/checks", key).request()
                .post(Entity.json(Map.of("estimatedTokens", 1))).getStatus();

        CommandResult revoke = keys("revoke", "--id", idOf(key));
        long revokedAtNanos = System.nanoTime();
        int after = pollUntilRefused(key, orgId, CACHE_TTL_MS + 5_000);
        long elapsedMs = (System.nanoTime() - revokedAtNanos) / 1_000_000;

        assertThat(before).isEqualTo(200);
        assertThat(revoke.out()).startsWith("revoked key: id=" + idOf(key));
        assertThat(after).isEqualTo(401);
        assertThat(elapsedMs).isLessThanOrEqualTo(CACHE_TTL_MS + 1_000);
    }

    @Test
    void createRefusesAnOrgKeyWithoutOrganization() {
        CommandResult result = keys("create", "--role", "org");

        assertThat(result.error()).isPresent();
        assertThat(result.err()).isEqualTo("keys create failed: an org key needs --org with 1 to 128"
                + " characters from A-Z a-z 0-9 . _ : -\n");
    }

    @Test
    void createRefusesAnOrganizationForAServiceKey() {
        CommandResult result = keys("create", "--role", "service", "--org", "acme");

        assertThat(result.err()).isEqualTo(
                "keys create failed: only org keys are bound to an organization; drop --org\n");
    }

    @Test
    void revokeOfAnUnknownIdFails() {
        CommandResult result = keys("revoke", "--id", "0000000000000000");

        assertThat(result.err())
                .isEqualTo("keys revoke failed: no unrevoked key has id 0000000000000000\n");
    }

    /** Polls without sleeping past the deadline; each request is a real check of the key. */
    private static int pollUntilRefused(String key, String orgId, long deadlineMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + deadlineMs * 1_000_000;
        int status;
        do {
            status = app.target("/v1/orgs/" + orgId + "/checks", key).request()
                    .post(Entity.json(Map.of("estimatedTokens", 1))).getStatus();
            if (status == 200) {
                Thread.sleep(25);
            }
        } while (status == 200 && System.nanoTime() < deadline);
        return status;
    }

    private static String idOf(String key) {
        Matcher matcher = KEY.matcher(key);
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }

    /**
     * Runs {@code keys ARGS config} through Dropwizard's command line. The configuration is
     * read without the {@code dw.} system properties that a running TestApp sets.
     */
    private static CommandResult keys(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Bootstrap<RateLimiterConfiguration> bootstrap = new Bootstrap<>(new RateLimiterApplication());
        bootstrap.setConfigurationFactoryFactory((type, validator, mapper, prefix) ->
                new YamlConfigurationFactory<>(type, validator, mapper, "keys-test"));
        bootstrap.addCommand(new KeysCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
        Cli cli = new Cli(new JarLocation(KeysCommandTest.class), bootstrap, out, err);

        List<String> arguments = new java.util.ArrayList<>(List.of("keys"));
        arguments.addAll(List.of(args));
        arguments.add(configFile.toString());
        Optional<Throwable> error = cli.run(arguments.toArray(new String[0]));

        return new CommandResult(error, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private record CommandResult(Optional<Throwable> error, String out, String err) {
        String key() {
            Matcher matcher = KEY.matcher(out);
            assertThat(matcher.find()).as("a key in: %s%s", out, err).isTrue();
            return matcher.group();
        }
    }
}
