package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replay of a trace against a running service: reads and plans the trace, sets limits if
 * asked, sends the checks (and usage records) on schedule, then reads each organization's
 * limits (and usage statistics), prints the report and returns the result. Run it once, from
 * one thread.
 */
public final class Replay {

    /** How far the statistics query reaches beyond the run, for clock differences. */
    private static final Duration STATS_MARGIN = Duration.ofMinutes(1);
    private static final int HTTP_THREADS = 4;

    private final ReplayOptions options;
    private final PrintStream out;
    private final PrintStream err;

    public Replay(ReplayOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public ReplayResult run() throws IOException, InterruptedException {
        List<TraceRow> rows = new TraceReader().read(options.trace(), options.maxRequests());
        List<String> orgIds = options.organizationIds();
        List<PlannedRequest> plan = ReplayPlan.create(rows, orgIds, RunTokens.next(),
                options.speedup(), options.estimateFactor());

        ExecutorService httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, daemonThreads());
        try {
            LimiterClient client = new LimiterClient(newHttpClient(httpExecutor),
                    options.serviceUrl(), options.requestTimeout(), new ObjectMapper(),
                    options.findApiKey());
            return replay(client, plan, orgIds);
        } finally {
            httpExecutor.shutdownNow();
        }
    }

    private ReplayResult replay(LimiterClient client, List<PlannedRequest> plan,
            List<String> orgIds) throws InterruptedException {
        Optional<Limits> limitsToSet = options.findLimitsToSet();
        if (limitsToSet.isPresent()) {
            for (String orgId : orgIds) {
                client.putLimits(orgId, limitsToSet.get());
            }
        }
        // Start every organization's limiter before the clock starts, so that loading limits
        // and warming both JVMs do not delay the first burst of the trace.
        for (String orgId : orgIds) {
            int status = client.readStatus(orgId);
            if (status == 401 || status == 403) {
                // Every check would be refused the same way: stop before playing the trace.
                throw new ReplayClientException("the service refused the API key (HTTP " + status
                        + " for " + orgId + "); pass a key with --api-key or AI_API_KEY");
            }
        }
        Map<String, OrgTally> tallies = new LinkedHashMap<>();
        orgIds.forEach(orgId -> tallies.put(orgId, new OrgTally(orgId)));
        err.printf("replay started: checks=%d organizations=%d orgPrefix=%s speedup=%s url=%s%n",
                plan.size(), orgIds.size(), options.orgPrefix(), options.speedup(),
                options.serviceUrl());

        Instant startedAt = Instant.now();
        Duration drainTimeout = options.requestTimeout().multipliedBy(2).plusSeconds(5);
        SendStats send;
        try (ProgressReporter progress = ProgressReporter.start(err, tallies.values(), plan.size(),
                options.progressInterval())) {
            ReplaySender sender = new ReplaySender(client, tallies, options.maxInFlight(),
                    options.usage(), drainTimeout);
            send = sender.send(plan);
        }
        Instant finishedAt = Instant.now();

        List<String> problems = new ArrayList<>();
        List<OrgSummary> summaries = new ArrayList<>();
        for (OrgTally tally : tallies.values()) {
            summaries.add(summarize(client, tally, startedAt, finishedAt, problems));
        }
        String traceName = options.trace().getFileName().toString();
        ReplayResult result = new ReplayResult(options, traceName, send, List.copyOf(summaries),
                List.copyOf(problems));
        new ReportPrinter(out).print(result);
        return result;
    }

    private OrgSummary summarize(LimiterClient client, OrgTally tally, Instant startedAt,
            Instant finishedAt, List<String> problems) throws InterruptedException {
        String orgId = tally.orgId();
        Limits limits = client.findLimits(orgId).orElse(null);
        if (limits == null) {
            problems.add("limits of " + orgId + " could not be read; its windows were not judged");
        }
        UsageTotals stats = null;
        if (options.usage()) {
            Instant from = startedAt.minus(STATS_MARGIN).truncatedTo(ChronoUnit.SECONDS);
            Instant to = finishedAt.plus(STATS_MARGIN).truncatedTo(ChronoUnit.SECONDS);
            stats = client.findUsageTotals(orgId, from, to).orElse(null);
            if (stats == null) {
                problems.add("usage statistics of " + orgId + " could not be read");
            }
        }

        List<Admission> admissions = tally.admissions();
        return new OrgSummary(orgId, tally.counts(), limits,
                WindowMaxima.minute(admissions, Admission::boundedTokens),
                WindowMaxima.minute(admissions, Admission::estimatedTokens),
                WindowMaxima.day(admissions, Admission::boundedTokens), stats);
    }

    private static HttpClient newHttpClient(ExecutorService executor) {
        // HTTP/1.1: the service speaks no cleartext HTTP/2, and an upgrade attempt per
        // connection would only add a round trip.
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "replay-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
