package ai.ratelimiter.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the Prometheus text format into sample values by name and labels. */
public final class PrometheusSamples {

    private PrometheusSamples() {
    }

    /** Each sample line's value under its name and labels; comment lines left out. */
    public static Map<String, String> parse(String text) {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return samples;
    }

    /** The samples {@code app} serves at {@code /prometheus} now. */
    public static Map<String, String> scrape(TestApp app) {
        return parse(app.adminTarget("/prometheus").request().get(String.class));
    }
}
