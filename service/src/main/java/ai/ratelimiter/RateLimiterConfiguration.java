package ai.ratelimiter;

import ai.ratelimiter.auth.AuthFactory;
import ai.ratelimiter.health.ScheduledChecks;
import ai.ratelimiter.limits.DefaultLimitsFactory;
import ai.ratelimiter.organizations.LimitersFactory;
import ai.ratelimiter.stats.StatsFactory;
import ai.ratelimiter.usage.UsageFactory;
import ai.ratelimiter.windows.RedisFactory;
import ai.ratelimiter.windows.RedisOutageFactory;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * The service's configuration, read from {@code config.yml} with environment substitution.
 * An empty {@code database.url} or Redis setting means: start that dependency embedded.
 */
public class RateLimiterConfiguration extends Configuration {

    @Valid
    @NotNull
    @JsonProperty
    private DataSourceFactory database = new DataSourceFactory();

    @Valid
    @NotNull
    @JsonProperty
    private RedisFactory redis = new RedisFactory();

    @Valid
    @NotNull
    @JsonProperty
    private RedisOutageFactory redisOutage = new RedisOutageFactory();

    @Valid
    @NotNull
    @JsonProperty
    private DefaultLimitsFactory defaultLimits = new DefaultLimitsFactory();

    @Valid
    @NotNull
    @JsonProperty
    private LimitersFactory limiters = new LimitersFactory();

    @Valid
    @NotNull
    @JsonProperty
    private UsageFactory usage = new UsageFactory();

    @Valid
    @NotNull
    @JsonProperty
    private StatsFactory stats = new StatsFactory();

    @Valid
    @NotNull
    @JsonProperty
    private AuthFactory auth = new AuthFactory();

    /** Apply {@code migrations.xml} at start-up (always done for an embedded Postgres). */
    @JsonProperty
    private boolean migrateOnStart = false;

    /** Largest request body accepted, in bytes. */
    @Min(256)
    @Max(10_485_760)
    @JsonProperty
    private long maxBodyBytes = 16_384;

    /**
     * On SIGTERM, how long readiness fails while the server still answers, before it stops
     * accepting: time for load balancers to take the replica out. Zero skips draining.
     */
    @NotNull
    @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration drainPeriod = Duration.seconds(5);

    public RateLimiterConfiguration() {
        // The probes depend on these checks being scheduled; a health: block replaces them.
        setHealthFactory(ScheduledChecks.defaultFactory());
    }

    public DataSourceFactory getDatabase() {
        return database;
    }

    public RedisFactory getRedis() {
        return redis;
    }

    public RedisOutageFactory getRedisOutage() {
        return redisOutage;
    }

    public DefaultLimitsFactory getDefaultLimits() {
        return defaultLimits;
    }

    public LimitersFactory getLimiters() {
        return limiters;
    }

    public UsageFactory getUsage() {
        return usage;
    }

    public StatsFactory getStats() {
        return stats;
    }

    public AuthFactory getAuth() {
        return auth;
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public Duration getDrainPeriod() {
        return drainPeriod;
    }
}
