package ai.ratelimiter.replay;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Argument;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code replay}: replays a CSV request trace against a running service, one check per row,
 * spread over several organizations and compressed in time, and reports per organization the
 * decisions and the fullest windows next to the limits. See the README's "Replaying a trace".
 * Exit status: 0 all within limits; 2 a window exceeded a limit or usage statistics differ;
 * 3 HTTP errors; 1 bad options, an unreadable trace or an unreachable service.
 */
public final class ReplayCommand extends Command {

    /** Where the API key is read from unless {@code --api-key} names one. */
    static final String API_KEY_VARIABLE = "AI_API_KEY";

    public ReplayCommand() {
        super("replay", "Replays a request trace (CSV) against a running service and checks that"
                + " no window exceeded its limit");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--trace").dest("trace").required(true).metavar("FILE")
                .help("CSV trace: TIMESTAMP,ContextTokens,GeneratedTokens (as in ../shared/data)");
        subparser.addArgument("--url").dest("url").setDefault("http://127.0.0.1:8080")
                .help("the service's application URL (default: http://127.0.0.1:8080)");
        integer(subparser, "--orgs", "orgs", 20)
                .help("organizations to spread the requests over, round-robin (default: 20)");
        decimal(subparser, "--speedup", "speedup", 1.0)
                .help("divide the trace's inter-arrival times by this factor (default: 1)");
        subparser.addArgument("--org-prefix").dest("orgPrefix")
                .help("organization ids are PREFIX-01..PREFIX-NN (default: replay-<random>)");
        subparser.addArgument("--set-limits").dest("setLimits").metavar("RPM,TPM,RPD,TPD")
                .help("PUT these limits for every organization first (default: keep theirs)");
        integer(subparser, "--max-requests", "maxRequests", 0)
                .help("replay only the first N rows of the trace (default: 0, all)");
        integer(subparser, "--max-in-flight", "maxInFlight", 256)
                .help("most checks awaiting an answer at once (default: 256)");
        integer(subparser, "--timeout-seconds", "timeoutSeconds", 10)
                .help("timeout of each HTTP call (default: 10)");
        integer(subparser, "--progress-seconds", "progressSeconds", 5)
                .help("seconds between progress lines on stderr; 0 for none (default: 5)");
        subparser.addArgument("--usage").dest("usage").action(Arguments.storeTrue())
                .help("send a usage record after each allowed check and compare every"
                        + " organization's usage statistics with the sums sent");
        decimal(subparser, "--estimate-factor", "estimateFactor", 1.0)
                .help("each check estimates round(actual tokens x FACTOR) (default: 1)");
        subparser.addArgument("--api-key").dest("apiKey")
                .setDefault(System.getenv(API_KEY_VARIABLE))
                .help("an admin API key, which every call carries: the replay reads status and"
                        + " limits (default: the environment variable " + API_KEY_VARIABLE
                        + ", which keeps the key out of process lists)");
    }

    private static Argument integer(Subparser subparser, String name, String dest, int value) {
        return subparser.addArgument(name).dest(dest).type(Integer.class).setDefault(value);
    }

    private static Argument decimal(Subparser subparser, String name, String dest, double value) {
        return subparser.addArgument(name).dest(dest).type(Double.class).setDefault(value);
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        ReplayResult result = new Replay(options(namespace), System.out, System.err).run();
        if (result.exitCode() != ReplayResult.EXIT_OK) {
            throw new ReplayFailedException(result.exitCode(),
                    "replay failed: " + result.verdict());
        }
    }

    static ReplayOptions options(Namespace namespace) {
        ReplayOptions.Builder builder = ReplayOptions.builder(Path.of(namespace.getString("trace")),
                        URI.create(namespace.getString("url")))
                .organizations(namespace.getInt("orgs"))
                .speedup(namespace.getDouble("speedup"))
                .orgPrefix(namespace.getString("orgPrefix"))
                .maxRequests(namespace.getInt("maxRequests"))
                .maxInFlight(namespace.getInt("maxInFlight"))
                .requestTimeout(Duration.ofSeconds(namespace.getInt("timeoutSeconds")))
                .progressInterval(Duration.ofSeconds(namespace.getInt("progressSeconds")))
                .usage(namespace.getBoolean("usage"))
                .estimateFactor(namespace.getDouble("estimateFactor"))
                .apiKey(namespace.getString("apiKey"));
        String limits = namespace.getString("setLimits");
        if (limits != null) {
            builder.limitsToSet(ReplayOptions.parseLimits(limits));
        }
        return builder.build();
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable failure) {
        // Expected failures are explained in one line; only a bug deserves a stack trace.
        if (failure instanceof IOException) {
            cli.getStdErr().println("cannot read the trace: " + failure);
        } else if (failure instanceof ReplayFailedException
                || failure instanceof IllegalArgumentException
                || failure instanceof TraceFormatException
                || failure instanceof ReplayClientException) {
            cli.getStdErr().println(failure.getMessage());
        } else {
            super.onError(cli, namespace, failure);
        }
    }
}
