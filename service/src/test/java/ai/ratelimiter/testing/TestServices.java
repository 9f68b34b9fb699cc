package ai.ratelimiter.testing;

import ai.ratelimiter.embedded.EmbeddedServices;
import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import redis.clients.jedis.JedisPooled;

/**
 * The real Redis and Postgres the tests talk to: the servers named by {@code TEST_REDIS_URL}
 * and {@code TEST_DATABASE_URL} (with {@code TEST_DATABASE_USER}, {@code TEST_DATABASE_PASSWORD})
 * when set, otherwise an embedded Redis and Postgres started once for the whole test run.
 * The schema is migrated once. Tests keep apart by using organization ids of their own.
 */
public final class TestServices {

    private static TestServices instance;

    private final String redisUrl;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final Jdbi jdbi;

    private TestServices(String redisUrl, String databaseUrl, String user, String password) throws Exception {
        this.redisUrl = redisUrl;
        this.databaseUrl = databaseUrl;
        this.databaseUser = user;
        this.databasePassword = password;
        migrate();
        this.jdbi = Jdbi.create(databaseUrl, user, password).installPlugin(new SqlObjectPlugin());
    }

    /** Starts or finds the services on first use; later calls return the same ones. */
    public static synchronized TestServices get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start test Redis and Postgres", e);
            }
        }
        return instance;
    }

    private static TestServices start() throws Exception {
        String redis = System.getenv("TEST_REDIS_URL");
        String database = System.getenv("TEST_DATABASE_URL");
        EmbeddedServices embedded = new EmbeddedServices();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.stop();
            } catch (Exception ignored) {
                // The JVM is exiting; the temporary servers die with it.
            }
        }));
        if (redis == null || redis.isBlank()) {
            redis = embedded.startRedis();
        }
        String user = System.getenv().getOrDefault("TEST_DATABASE_USER", "postgres");
        String password = System.getenv().getOrDefault("TEST_DATABASE_PASSWORD", "");
        if (database == null || database.isBlank()) {
            database = embedded.startPostgres();
            user = "postgres";
            password = "postgres";
        }
        return new TestServices(redis, database, user, password);
    }

    private void migrate() throws Exception {
        try (Connection connection = DriverManager.getConnection(databaseUrl, databaseUser, databasePassword)) {
            @SuppressWarnings("deprecation")
            Liquibase liquibase = new Liquibase("migrations.xml", new ClassLoaderResourceAccessor(),
                    new JdbcConnection(connection));
            liquibase.update("");
        }
    }

    public String redisUrl() {
        return redisUrl;
    }

    public String databaseUrl() {
        return databaseUrl;
    }

    public String databaseUser() {
        return databaseUser;
    }

    public String databasePassword() {
        return databasePassword;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** A new Redis client; the caller closes it. */
    public JedisPooled newRedisClient() {
        return new JedisPooled(java.net.URI.create(redisUrl));
    }

    public DataSourceFactory dataSource() {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass("org.postgresql.Driver");
        factory.setUrl(databaseUrl);
        factory.setUser(databaseUser);
        factory.setPassword(databasePassword);
        return factory;
    }
}
