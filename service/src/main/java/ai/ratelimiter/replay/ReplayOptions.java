package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one replay does, validated: each invalid value is an {@link IllegalArgumentException}
 * naming its command-line option. Immutable.
 *
 * @param limitsToSet limits to PUT for every organization before starting, or {@code null}
 *     to keep each organization's own
 * @param maxRequests replay only the first rows of the trace; 0 for all
 * @param progressInterval between progress lines on stderr; zero for none
 * @param usage send a usage record after each allowed check and compare statistics at the end
 * @param estimateFactor each check's estimate is {@code round(actual tokens * factor)}
 * @param apiKey the API key every call carries as a bearer token, or {@code null} for none
 */
public record ReplayOptions(
        Path trace,
        URI serviceUrl,
        int organizations,
        double speedup,
        String orgPrefix,
        Limits limitsToSet,
        int maxRequests,
        int maxInFlight,
        Duration requestTimeout,
        Duration progressInterval,
        boolean usage,
        double estimateFactor,
        String apiKey) {

    /** Organization ids the service accepts, less room for the {@code -NN} suffix. */
    private static final Pattern ORG_PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,120}");
    static final int MAX_ORGANIZATIONS = 100_000;

    public ReplayOptions {
        require(trace != null, "--trace", "a trace file is required");
        require(serviceUrl != null && serviceUrl.getHost() != null
                && List.of("http", "https").contains(serviceUrl.getScheme()),
                "--url", "must be an http:// or https:// URL with a host");
        require(organizations >= 1 && organizations <= MAX_ORGANIZATIONS, "--orgs",
                "must be between 1 and " + MAX_ORGANIZATIONS);
        require(speedup > 0 && Double.isFinite(speedup), "--speedup", "must be a number above 0");
        require(orgPrefix != null && ORG_PREFIX.matcher(orgPrefix).matches(), "--org-prefix",
                "must be 1 to 120 characters from A-Z a-z 0-9 . _ : -");
        require(maxRequests >= 0, "--max-requests", "must be 0 (all) or more");
        require(maxInFlight >= 1 && maxInFlight <= 10_000, "--max-in-flight",
                "must be between 1 and 10000");
        require(requestTimeout != null && !requestTimeout.isNegative() && !requestTimeout.isZero(),
                "--timeout-seconds", "must be above 0");
        require(progressInterval != null && !progressInterval.isNegative(), "--progress-seconds",
                "must be 0 (off) or more");
        require(estimateFactor >= 0 && Double.isFinite(estimateFactor), "--estimate-factor",
                "must be a number of at least 0");
    }

    public static Builder builder(Path trace, URI serviceUrl) {
        return new Builder(trace, serviceUrl);
    }

    public Optional<String> findApiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** Like the record's own, but never shows the API key. */
    @Override
    public String toString() {
        return "ReplayOptions[trace=" + trace + ", serviceUrl=" + serviceUrl + ", organizations="
                + organizations + ", speedup=" + speedup + ", orgPrefix=" + orgPrefix
                + ", limitsToSet=" + limitsToSet + ", maxRequests=" + maxRequests + ", maxInFlight="
                + maxInFlight + ", requestTimeout=" + requestTimeout + ", progressInterval="
                + progressInterval + ", usage=" + usage + ", estimateFactor=" + estimateFactor
                + ", apiKey=" + (apiKey == null ? "none" : "(set)") + "]";
    }

    public Optional<Limits> findLimitsToSet() {
        return Optional.ofNullable(limitsToSet);
    }

    public List<String> organizationIds() {
        return ReplayPlan.organizationIds(orgPrefix, organizations);
    }

    /**
     * Reads limits written as {@code rpm,tpm,rpd,tpd}, for example {@code 60,100000,10000,5000000}.
     */
    public static Limits parseLimits(String text) {
        String[] parts = text.split(",", -1);
        require(parts.length == 4, "--set-limits", "expected rpm,tpm,rpd,tpd");
        long[] values = new long[4];
        for (int i = 0; i < 4; i++) {
            try {
                values[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--set-limits: '" + parts[i]
                        + "' is not an integer");
            }
            require(values[i] >= 0 && values[i] <= Limits.MAX_VALUE, "--set-limits",
                    "each limit must be between 0 and " + Limits.MAX_VALUE);
        }
        return new Limits(values[0], values[1], values[2], values[3]);
    }

    private static void require(boolean valid, String option, String message) {
        if (!valid) {
            throw new IllegalArgumentException(option + ": " + message);
        }
    }

    /** Collects options with the command's defaults; {@link #build()} validates them. */
    public static final class Builder {

        private final Path trace;
        private final URI serviceUrl;
        private int organizations = 20;
        private double speedup = 1.0;
        private String orgPrefix;
        private Limits limitsToSet;
        private int maxRequests;
        private int maxInFlight = 256;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration progressInterval = Duration.ofSeconds(5);
        private boolean usage;
        private double estimateFactor = 1.0;
        private String apiKey;

        private Builder(Path trace, URI serviceUrl) {
            this.trace = trace;
            this.serviceUrl = serviceUrl;
        }

        public Builder organizations(int value) {
            this.organizations = value;
            return this;
        }

        public Builder speedup(double value) {
            this.speedup = value;
            return this;
        }

        /** Without one, each run gets {@code replay-} and a random suffix, sharing no windows. */
        public Builder orgPrefix(String value) {
            this.orgPrefix = value;
            return this;
        }

        public Builder limitsToSet(Limits value) {
            this.limitsToSet = value;
            return this;
        }

        public Builder maxRequests(int value) {
            this.maxRequests = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            this.maxInFlight = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder progressInterval(Duration value) {
            this.progressInterval = value;
            return this;
        }

        public Builder usage(boolean value) {
            this.usage = value;
            return this;
        }

        public Builder estimateFactor(double value) {
            this.estimateFactor = value;
            return this;
        }

        /** The key every call carries; {@code null} or blank for none. */
        public Builder apiKey(String value) {
            this.apiKey = value == null || value.isBlank() ? null : value;
            return this;
        }

        public ReplayOptions build() {
            String prefix = orgPrefix != null ? orgPrefix
                    : "replay-" + RunTokens.next().substring(0, 6);
            return new ReplayOptions(trace, serviceUrl, organizations, speedup, prefix,
                    limitsToSet, maxRequests, maxInFlight, requestTimeout, progressInterval, usage,
                    estimateFactor, apiKey);
        }
    }
}
