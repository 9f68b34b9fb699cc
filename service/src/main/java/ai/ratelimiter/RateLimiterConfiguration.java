package ai.ratelimiter;

import ai.ratelimiter.limits.DefaultLimitsFactory;
import ai.ratelimiter.organizations.LimitersFactory;
import ai.ratelimiter.windows.RedisFactory;
import ai.ratelimiter.windows.RedisOutageFactory;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

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

    /** Apply {@code migrations.xml} at start-up (always done for an embedded Postgres). */
    @JsonProperty
    private boolean migrateOnStart = false;

    /** Largest request body accepted, in bytes. */
    @Min(256)
    @Max(10_485_760)
    @JsonProperty
    private long maxBodyBytes = 16_384;

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

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }
}
