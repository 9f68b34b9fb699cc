package ai.ratelimiter.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration of API-key authentication: whether it is on, the bootstrap admin key, and how
 * long a verified key is trusted without asking Postgres again (so a revocation takes effect
 * within {@code cacheTtl}). Builds the Jersey parts that enforce it.
 */
public class AuthFactory {

    private static final Logger LOG = LoggerFactory.getLogger(AuthFactory.class);
    private static final int DEVELOPMENT_KEY_BYTES = 32;

    /** Off only behind something else that authenticates: then every caller is admin. */
    @JsonProperty
    private boolean enabled = true;

    /**
     * A key with every right, for bootstrapping (creating keys needs none: that is a command).
     * Empty for none. Visible ASCII of the bearer-token alphabet, at least 32 characters.
     */
    @Pattern(regexp = "|[A-Za-z0-9._~+/=-]{32," + ApiKeyFormat.MAX_LENGTH + "}",
            message = "must be empty or 32 to 512 characters from A-Z a-z 0-9 . _ ~ + / = -")
    @JsonProperty
    private String adminKey = "";

    /** How long a verified key is trusted; 0 asks Postgres on every request. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS, inclusive = true)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration cacheTtl = Duration.seconds(30);

    /**
     * How long a key verified before Postgres became unreachable is still accepted while it is;
     * 0 answers 503 for every key not in the cache during an outage.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS, inclusive = true)
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration outageGrace = Duration.hours(1);

    /** Most verified keys held in each cache. */
    @Min(1)
    @Max(10_000_000)
    @JsonProperty
    private long cacheMaxKeys = 10_000;

    public boolean isEnabled() {
        return enabled;
    }

    /** The configured bootstrap admin key, if any. */
    public Optional<String> adminKey() {
        return adminKey == null || adminKey.isBlank() ? Optional.empty() : Optional.of(adminKey);
    }

    public Duration getCacheTtl() {
        return cacheTtl;
    }

    /**
     * A random admin key for a development run (embedded dependencies, on loopback) that has
     * none configured, so that the printed example call works; empty otherwise.
     */
    public Optional<String> developmentKey(boolean embedded, SecureRandom random) {
        if (!enabled || !embedded || adminKey().isPresent()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[DEVELOPMENT_KEY_BYTES];
        random.nextBytes(bytes);
        return Optional.of("dev_" + HexFormat.of().formatHex(bytes));
    }

    /**
     * Puts authentication and the access policy in front of every resource; the admin key is
     * the configured one or else {@code developmentKey}.
     */
    public void register(Environment environment, Jdbi jdbi, Optional<String> developmentKey) {
        if (!enabled) {
            LOG.warn("authentication disabled: every caller of the application port is admin");
            return;
        }
        Optional<String> bootstrapKey = adminKey().or(() -> developmentKey);
        Authenticator<String, Caller> authenticator = new OutageTolerantAuthenticator(
                new ApiKeyAuthenticator(jdbi.onDemand(ApiKeyDao.class), bootstrapKey),
                outageGrace.toJavaDuration(), cacheMaxKeys,
                environment.metrics().meter("auth.keys.accepted-during-outage"));
        if (cacheTtl.toMilliseconds() > 0) {
            authenticator = new CachingAuthenticator<>(environment.metrics(), authenticator,
                    Caffeine.newBuilder()
                            .expireAfterWrite(cacheTtl.toJavaDuration())
                            .maximumSize(cacheMaxKeys));
        }
        environment.jersey().register(new AccessFeature(new BearerAuthFilter(authenticator),
                AccessPolicy.standard()));
        String bootstrap = adminKey().isPresent() ? "configured"
                : developmentKey.isPresent() ? "development" : "none";
        LOG.info("authentication enabled: bootstrapAdminKey={} cacheTtlMs={} cacheMaxKeys={}",
                bootstrap, cacheTtl.toMilliseconds(), cacheMaxKeys);
    }
}
