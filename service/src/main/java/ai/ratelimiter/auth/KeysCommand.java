package ai.ratelimiter.auth;

import ai.ratelimiter.RateLimiterConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code keys create|list|revoke ... config.yml}: manages the API keys in the configured
 * Postgres. {@code create} prints the new key once; nothing else ever shows a key or its hash.
 */
public final class KeysCommand extends ConfiguredCommand<RateLimiterConfiguration> {

    private static final String EMBEDDED_DATABASE = "embedded";

    private final PrintStream out;

    public KeysCommand() {
        this(System.out);
    }

    /** For tests: prints to {@code out} instead of standard output. */
    public KeysCommand(PrintStream out) {
        super("keys", "Creates, lists and revokes API keys");
        this.out = out;
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("action").choices("create", "list", "revoke")
                .help("create a key (printed once), list keys without secrets, or revoke one");
        super.configure(subparser);
        subparser.addArgument("--role").choices("admin", "service", "org")
                .help("create: what the key may do");
        subparser.addArgument("--org").dest("org")
                .help("create: the one organization an org key is bound to");
        subparser.addArgument("--label").help("create: a note on who holds the key");
        subparser.addArgument("--id").help("revoke: the id of the key, as list shows it");
    }

    @Override
    protected void run(Bootstrap<RateLimiterConfiguration> bootstrap, Namespace namespace,
            RateLimiterConfiguration configuration) throws Exception {
        DataSourceFactory database = configuration.getDatabase();
        if (EMBEDDED_DATABASE.equalsIgnoreCase(database.getUrl().trim())) {
            throw new IllegalArgumentException("keys live in the service's Postgres: set"
                    + " DATABASE_URL. With the embedded default the service prints a development"
                    + " admin key instead.");
        }
        ManagedDataSource dataSource = database.build(bootstrap.getMetricRegistry(), "keys");
        try {
            Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
            ApiKeyDao dao = jdbi.onDemand(ApiKeyDao.class);
            switch (namespace.getString("action")) {
                case "create" -> create(new ApiKeyIssuer(dao, new SecureRandom()), namespace);
                case "revoke" -> revoke(new ApiKeyIssuer(dao, new SecureRandom()), namespace);
                default -> list(dao.list());
            }
        } finally {
            dataSource.stop();
        }
    }

    private void create(ApiKeyIssuer issuer, Namespace namespace) {
        String roleName = namespace.getString("role");
        if (roleName == null) {
            throw new IllegalArgumentException("create needs --role admin|service|org");
        }
        Role role = Role.find(roleName).orElseThrow();

        IssuedKey issued = issuer.issue(role, namespace.getString("org"),
                namespace.getString("label"));

        out.println("created key: id=" + issued.id() + " role=" + role.externalName()
                + (issued.orgId() == null ? "" : " org=" + issued.orgId()));
        out.println(issued.key());
        out.println("Store the key now: it is shown only this once and cannot be recovered.");
    }

    private void revoke(ApiKeyIssuer issuer, Namespace namespace) {
        String id = namespace.getString("id");
        if (id == null) {
            throw new IllegalArgumentException("revoke needs --id, as keys list shows it");
        }
        if (!issuer.revoke(id)) {
            throw new IllegalArgumentException("no unrevoked key has id " + id);
        }
        out.println("revoked key: id=" + id
                + " (services that verified it recently accept it until their key cache expires)");
    }

    /** One tab-separated line per key (for {@code column -t -s $'\t'}), without secrets. */
    private void list(List<StoredKey> keys) {
        out.println(String.join("\t", "id", "role", "org", "created", "revoked", "label"));
        for (StoredKey key : keys) {
            String revoked = key.revokedAt() == null ? "-" : key.revokedAt().toString();
            out.println(String.join("\t", key.id(), key.role(), orDash(key.orgId()),
                    key.createdAt().toString(), revoked, orDash(key.label())));
        }
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /** Prints only the message: a stack trace says nothing more to whoever typed the command. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable error) {
        cli.getStdErr().println("keys " + namespace.getString("action") + " failed: "
                + error.getMessage());
    }
}
