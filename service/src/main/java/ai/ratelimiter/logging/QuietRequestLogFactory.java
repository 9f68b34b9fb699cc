package ai.ratelimiter.logging;

import ch.qos.logback.access.jetty.RequestLogImpl;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.request.logging.RequestLogFactory;
import org.eclipse.jetty.server.RequestLog;

/**
 * The configured request log, made quiet: logback-access otherwise prints its own start-up
 * status lines (versions, a spurious version warning) straight to stdout, which would break a
 * stdout of JSON lines only.
 */
@JsonTypeName("quiet")
public final class QuietRequestLogFactory implements RequestLogFactory<RequestLog> {

    private final RequestLogFactory<?> configured;

    private QuietRequestLogFactory(RequestLogFactory<?> configured) {
        this.configured = configured;
    }

    /** Makes the request log of {@code server} quiet, whatever the configuration chose. */
    public static void apply(ServerFactory server) {
        if (server instanceof AbstractServerFactory factory
                && !(factory.getRequestLogFactory() instanceof QuietRequestLogFactory)) {
            factory.setRequestLogFactory(new QuietRequestLogFactory(factory.getRequestLogFactory()));
        }
    }

    @Override
    public boolean isEnabled() {
        return configured.isEnabled();
    }

    @Override
    public RequestLog build(String name) {
        RequestLog log = configured.build(name);
        if (log instanceof RequestLogImpl logback) {
            logback.setQuiet(true);
        }
        return log;
    }
}
