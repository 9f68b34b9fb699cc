package ai.ratelimiter;

import ai.ratelimiter.auth.KeysCommand;
import ai.ratelimiter.checks.CheckAnswers;
import ai.ratelimiter.checks.CheckMetrics;
import ai.ratelimiter.checks.CheckResource;
import ai.ratelimiter.checks.DecisionLog;
import ai.ratelimiter.checks.StatusResource;
import ai.ratelimiter.embedded.EmbeddedServices;
import ai.ratelimiter.health.ActorSystemHealthCheck;
import ai.ratelimiter.health.DrainOnShutdown;
import ai.ratelimiter.health.HealthGauges;
import ai.ratelimiter.health.ProbeServlet;
import ai.ratelimiter.health.Probes;
import ai.ratelimiter.health.RedisHealthCheck;
import ai.ratelimiter.health.ReplicaReadinessCheck;
import ai.ratelimiter.health.ReplicaState;
import ai.ratelimiter.health.ScheduledChecks;
import ai.ratelimiter.http.BodySizeLimitFilter;
import ai.ratelimiter.http.JsonErrorHandler;
import ai.ratelimiter.http.JsonErrorMappers;
import ai.ratelimiter.http.MatrixParameterFilter;
import ai.ratelimiter.limits.Limits;
import ai.ratelimiter.limits.LimitsChangeBus;
import ai.ratelimiter.limits.LimitsDao;
import ai.ratelimiter.limits.LimitsResource;
import ai.ratelimiter.limits.StoredLimitsSource;
import ai.ratelimiter.logging.QuietRequestLogFactory;
import ai.ratelimiter.metrics.PrometheusExposition;
import ai.ratelimiter.metrics.PrometheusServlet;
import ai.ratelimiter.metrics.ServiceMetricRules;
import ai.ratelimiter.openapi.OpenApiServlet;
import ai.ratelimiter.organizations.LimiterMetrics;
import ai.ratelimiter.organizations.OrgLimiter;
import ai.ratelimiter.organizations.OrgLimiters;
import ai.ratelimiter.replay.ReplayCommand;
import ai.ratelimiter.replay.ReplayFailedException;
import ai.ratelimiter.stats.StatsResource;
import ai.ratelimiter.stats.UsageStatistics;
import ai.ratelimiter.usage.UsageFactory;
import ai.ratelimiter.usage.UsageMetrics;
import ai.ratelimiter.usage.UsageReconciler;
import ai.ratelimiter.usage.UsageResource;
import ai.ratelimiter.usage.UsageStore;
import ai.ratelimiter.usage.UsageWriter;
import ai.ratelimiter.usage.UsageWriterHealthCheck;
import ai.ratelimiter.windows.BreakerStateReporter;
import ai.ratelimiter.windows.BreakerWindowCalls;
import ai.ratelimiter.windows.RedisOutageFactory;
import ai.ratelimiter.windows.RedisWindowStore;
import ai.ratelimiter.windows.ScriptClock;
import ai.ratelimiter.windows.WindowStore;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStateView;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.dropwizard.migrations.MigrationsBundle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.CircuitBreaker;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Wires the service together: the limiters, their Redis window store and Postgres limits, the
 * HTTP resources, health checks and, when no Redis or Postgres is configured, embedded ones.
 */
public class RateLimiterApplication extends Application<RateLimiterConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiterApplication.class);

    /** The database url value that asks for an embedded Postgres. */
    private static final String EMBEDDED_DATABASE = "embedded";

    /** How long the actor system may take to answer a liveness ping; it answers in microseconds. */
    private static final Duration ACTOR_PING_BOUND = Duration.ofSeconds(2);

    /** Health checks of components only this replica depends on: readiness includes them. */
    private static final List<String> OWN_COMPONENTS = List.of("usage-writer");

    private final ScriptClock clock;
    private final Clock wallClock;

    public RateLimiterApplication() {
        this(ScriptClock.REDIS_SERVER);
    }

    /** For tests only: production always reads the Redis server clock. */
    public RateLimiterApplication(ScriptClock clock) {
        this(clock, Clock.systemUTC());
    }

    /**
     * For tests only: {@code wallClock} dates usage records that name no instant and ends the
     * statistics periods; production reads the system clock.
     */
    public RateLimiterApplication(ScriptClock clock, Clock wallClock) {
        this.clock = clock;
        this.wallClock = wallClock;
    }

    public static void main(String[] args) throws Exception {
        new RateLimiterApplication().run(args);
    }

    @Override
    public String getName() {
        return "ai-rate-limiter";
    }

    @Override
    public void initialize(Bootstrap<RateLimiterConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addCommand(new ReplayCommand());
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(RateLimiterConfiguration configuration) {
                return configuration.getDatabase();
            }
        });
        bootstrap.addCommand(new KeysCommand());
    }

    /** Lets the {@code replay} command end with its own exit status; anything else exits 1. */
    @Override
    protected void onFatalError(Throwable failure) {
        if (failure instanceof ReplayFailedException replayFailed) {
            System.exit(replayFailed.exitCode());
        }
        super.onFatalError(failure);
    }

    @Override
    public void run(RateLimiterConfiguration config, Environment environment) throws Exception {
        configureJson(environment.getObjectMapper());
        EmbeddedServices embedded = startEmbeddedWhereMissing(config, environment);
        if (embedded.isAnyRunning() || config.isMigrateOnStart()) {
            SchemaMigrator.migrate(config.getDatabase());
        }

        Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), "postgres");
        LimitsDao limitsDao = jdbi.onDemand(LimitsDao.class);
        Limits defaults = config.getDefaultLimits().build();

        UnifiedJedis redis = config.getRedis().build();
        environment.lifecycle().manage(new AutoCloseableManager(redis));
        WindowStore store = new RedisWindowStore(redis, clock,
                config.getRedis().getEntryRetention().toMilliseconds());

        int redisThreads = config.getRedis().getPoolSize();
        ExecutorService storeExecutor = environment.lifecycle().executorService("window-store-%d")
                .minThreads(redisThreads).maxThreads(redisThreads).build();
        int databaseThreads = config.getLimiters().getDatabaseThreads();
        ExecutorService databaseExecutor = environment.lifecycle().executorService("limits-load-%d")
                .minThreads(databaseThreads).maxThreads(databaseThreads).build();

        ActorSystem<Void> actorSystem = OrgLimiters.newActorSystem("ai-rate-limiter");
        RedisOutageFactory outage = config.getRedisOutage();
        CircuitBreaker breaker = outage.buildBreaker(actorSystem.classicSystem().scheduler());
        BreakerStateReporter.attach(breaker, environment.metrics(), outage.getPolicy().wireName());
        OrgLimiter.Dependencies dependencies = new OrgLimiter.Dependencies(
                config.getLimiters().settings(defaults, outage), new StoredLimitsSource(limitsDao, defaults),
                new BreakerWindowCalls(store, storeExecutor, breaker), databaseExecutor,
                new LimiterMetrics(environment.metrics()), Clock.systemUTC());
        // Answers leave the actors on these threads, so no actor thread writes an HTTP response.
        ExecutorService replyExecutor = environment.lifecycle().executorService("limiter-replies-%d")
                .minThreads(4).maxThreads(4).build();
        OrgLimiters limiters = new OrgLimiters(actorSystem, dependencies, config.getLimiters().askTimeout(),
                replyExecutor);
        environment.lifecycle().manage(limiters);
        LimitsChangeBus changeBus = new LimitsChangeBus(redis, limiters::reload, limiters::reloadAll);
        environment.lifecycle().manage(changeBus);

        Optional<String> developmentKey = config.getAuth().developmentKey(embedded.isAnyRunning(),
                new SecureRandom());
        config.getAuth().register(environment, jdbi, developmentKey);
        environment.jersey().register(new BodySizeLimitFilter(config.getMaxBodyBytes()));
        environment.jersey().register(new MatrixParameterFilter());
        new JsonErrorHandler(environment.getObjectMapper()).install(environment.lifecycle());
        environment.jersey().register(new JsonErrorMappers.JsonProcessing());
        environment.jersey().register(new JsonErrorMappers.UnreadableBody());
        environment.jersey().register(new JsonErrorMappers.WebApplication());
        environment.jersey().register(new JsonErrorMappers.Unexpected());
        environment.jersey().register(new CheckResource(limiters, new CheckAnswers(),
                new CheckMetrics(environment.metrics()), new DecisionLog()));
        environment.jersey().register(new StatusResource(limiters));
        environment.jersey().register(new LimitsResource(limitsDao, defaults, outage.getPolicy(),
                (orgId, settings) -> {
                    limiters.settingsChanged(orgId, settings);
                    changeBus.publish(orgId);
                }));
        registerUsage(config, environment, jdbi, limiters);
        OpenApiServlet.fromClasspath().register(environment.servlets());

        environment.healthChecks().register(ScheduledChecks.REDIS, new RedisHealthCheck(store));
        registerOperations(config, environment, limiters, embedded.isAnyRunning());
        environment.lifecycle().addServerLifecycleListener(server ->
                printHowToCall(server.getConnectors(), embedded, config.getAuth().isEnabled(),
                        developmentKey));
    }

    /**
     * Liveness and readiness probes at the admin port's {@code /health/live} and
     * {@code /health/ready}, draining on SIGTERM, health gauges, and the Prometheus text
     * format at the admin port's {@code /prometheus}.
     */
    private static void registerOperations(RateLimiterConfiguration config, Environment environment,
            OrgLimiters limiters, boolean embedded) {
        QuietRequestLogFactory.apply(config.getServerFactory());
        ReplicaState replica = new ReplicaState();
        // Embedded Redis and Postgres stop on their own JVM hooks at once, and no load balancer
        // sits in front of a loopback-only service: draining would only delay the exit.
        Duration drainPeriod = embedded ? Duration.ZERO
                : Duration.ofMillis(config.getDrainPeriod().toMilliseconds());
        DrainOnShutdown drain = new DrainOnShutdown(replica, drainPeriod);
        environment.lifecycle().addServerLifecycleListener(server -> {
            replica.serverStarted();
            drain.register(server);
        });
        environment.healthChecks().register(ScheduledChecks.REPLICA,
                new ReplicaReadinessCheck(environment.healthChecks(), OWN_COMPONENTS));
        environment.healthChecks().register(ScheduledChecks.ACTOR_SYSTEM,
                new ActorSystemHealthCheck(limiters::ping, ACTOR_PING_BOUND));

        HealthStateAggregator states = healthStates(environment);
        HealthGauges.register(environment.metrics(), states,
                ScheduledChecks.namesIn(config.getHealthFactory()));
        Probes probes = new Probes(replica, states);
        ObjectMapper mapper = environment.getObjectMapper();
        environment.admin().addServlet("liveness", new ProbeServlet(probes::liveness, mapper))
                .addMapping("/health/live");
        environment.admin().addServlet("readiness", new ProbeServlet(probes::readiness, mapper))
                .addMapping("/health/ready");

        PrometheusExposition exposition = new PrometheusExposition(environment.metrics(),
                ServiceMetricRules.all());
        environment.admin().addServlet("prometheus", new PrometheusServlet(exposition))
                .addMapping("/prometheus");
    }

    /** The scheduled health states, or none when the health module was switched off. */
    private static HealthStateAggregator healthStates(Environment environment) {
        HealthStateAggregator states = environment.health().healthStateAggregator();
        if (states != null) {
            return states;
        }
        return new HealthStateAggregator() {
            @Override
            public Collection<HealthStateView> healthStateViews() {
                return List.of();
            }

            @Override
            public Optional<HealthStateView> healthStateView(String name) {
                return Optional.empty();
            }
        };
    }

    /**
     * The usage writer is managed after the data source and the limiters, so it stops before
     * them: stopping commits the queued records and reconciles them while both still run.
     */
    private void registerUsage(RateLimiterConfiguration config, Environment environment, Jdbi jdbi,
            OrgLimiters limiters) {
        UsageFactory usage = config.getUsage();
        UsageMetrics metrics = new UsageMetrics(environment.metrics());
        ExecutorService answers = environment.lifecycle().executorService("usage-answers-%d")
                .minThreads(usage.getAnswerThreads()).maxThreads(usage.getAnswerThreads()).build();
        UsageWriter writer = new UsageWriter(new UsageStore(jdbi), usage.settings(), metrics,
                answers);
        environment.lifecycle().manage(writer);

        UsageReconciler reconciler = new UsageReconciler(limiters, metrics);
        environment.jersey().register(new UsageResource(writer, reconciler, wallClock,
                usage.retryAfterSeconds()));
        environment.jersey().register(new StatsResource(new UsageStatistics(jdbi), wallClock,
                config.getStats().maxSpan(), config.getStats().getMaxConcurrentQueries()));
        environment.healthChecks().register("usage-writer", new UsageWriterHealthCheck(writer));
    }

    private static void configureJson(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.coercionConfigDefaults().setAcceptBlankAsEmpty(false);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // Jackson turns numbers and booleans into text even without scalar coercion; an id
        // or label sent as 42 or true is a wrong type, answered 400 like every other one.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    /**
     * Starts a Redis and a Postgres from bundled binaries when the configuration names none.
     * They listen on loopback only, so the service refuses to bind elsewhere beside them.
     */
    private static EmbeddedServices startEmbeddedWhereMissing(RateLimiterConfiguration config,
            Environment environment) throws Exception {
        EmbeddedServices embedded = new EmbeddedServices();
        environment.lifecycle().manage(embedded);
        if (!config.getRedis().isConfigured()) {
            config.getRedis().setUrl(embedded.startRedis());
        }
        if (EMBEDDED_DATABASE.equalsIgnoreCase(config.getDatabase().getUrl().trim())) {
            config.getDatabase().setUrl(embedded.startPostgres());
            config.getDatabase().setUser("postgres");
            config.getDatabase().setPassword("postgres");
        }
        if (embedded.isAnyRunning()) {
            requireLoopbackConnectors(config);
        }
        return embedded;
    }

    private static void requireLoopbackConnectors(RateLimiterConfiguration config)
            throws UnknownHostException {
        if (!(config.getServerFactory() instanceof DefaultServerFactory server)) {
            return;
        }
        List<ConnectorFactory> connectors = new ArrayList<>(server.getApplicationConnectors());
        connectors.addAll(server.getAdminConnectors());
        for (ConnectorFactory connector : connectors) {
            if (connector instanceof HttpConnectorFactory http) {
                String host = http.getBindHost();
                if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
                    throw new IllegalStateException("with an embedded Redis or Postgres the service binds to"
                            + " loopback only; set bindHost to 127.0.0.1 or configure REDIS_URL and"
                            + " DATABASE_URL (bindHost=" + host + ")");
                }
            }
        }
    }

    /**
     * Prints a working example call. A development key goes to standard output only, never to
     * the log, and only on a loopback-bound run with embedded dependencies.
     */
    private static void printHowToCall(Connector[] connectors, EmbeddedServices embedded,
            boolean authEnabled, Optional<String> developmentKey) {
        if (connectors.length == 0 || !(connectors[0] instanceof ServerConnector http)) {
            return;
        }
        String host = http.getHost() == null ? "127.0.0.1" : http.getHost();
        String base = "http://" + host + ":" + http.getLocalPort();
        LOG.info("listening: url={}", base);
        // Only for a developer's fresh machine: in a deployment stdout carries logs alone,
        // which may be JSON lines that a plain banner would break.
        if (!embedded.isAnyRunning()) {
            return;
        }
        System.out.println();
        System.out.println("AI Rate Limiter is listening on " + base + " with embedded dependencies."
                + " Try a check:");
        String authorization = "";
        if (developmentKey.isPresent()) {
            authorization = " -H 'Authorization: Bearer " + developmentKey.get() + "'";
        } else if (authEnabled) {
            authorization = " -H \"Authorization: Bearer $AI_ADMIN_KEY\"";
        }
        System.out.println("  curl -s -X POST " + base + "/v1/orgs/demo/checks" + authorization
                + " -H 'Content-Type: application/json' -d '{\"estimatedTokens\":500}'");
        if (developmentKey.isPresent()) {
            System.out.println("The development admin key above is valid until this process exits.");
        }
        System.out.println();
    }
}
