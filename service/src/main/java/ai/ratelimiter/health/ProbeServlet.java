package ai.ratelimiter.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Answers a probe on the admin port: 200 when it passes, 503 when it does not, with the
 * report as JSON either way. Never runs a health check itself.
 */
public final class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<Probes.Report> probe;
    private final transient ObjectMapper mapper;

    public ProbeServlet(Supplier<Probes.Report> probe, ObjectMapper mapper) {
        this.probe = probe;
        this.mapper = mapper;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Probes.Report report = probe.get();
        byte[] body = mapper.writeValueAsBytes(report);
        response.setStatus(report.up()
                ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
