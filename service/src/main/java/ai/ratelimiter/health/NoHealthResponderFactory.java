package ai.ratelimiter.health;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.health.HealthEnvironment;
import io.dropwizard.health.response.HealthResponderFactory;
import io.dropwizard.health.response.HealthResponseProvider;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.jetty.setup.ServletEnvironment;
import java.util.Collection;

/**
 * Serves nothing: Dropwizard's health module would answer on the application port, which
 * carries the public API, while this service's probes belong on the admin port.
 */
@JsonTypeName("none")
public final class NoHealthResponderFactory implements HealthResponderFactory {

    @Override
    public void configure(String name, Collection<String> urlPaths, HealthResponseProvider provider,
            HealthEnvironment health, JerseyEnvironment jersey, ServletEnvironment servlets,
            ObjectMapper mapper) {
        // Nothing to register; see ProbeServlet.
    }
}
