package ai.ratelimiter.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Serves {@link PrometheusExposition} on the admin port for Prometheus to scrape. */
public final class PrometheusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient PrometheusExposition exposition;

    public PrometheusServlet(PrometheusExposition exposition) {
        this.exposition = exposition;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        byte[] body = exposition.render().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusExposition.CONTENT_TYPE);
        response.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
