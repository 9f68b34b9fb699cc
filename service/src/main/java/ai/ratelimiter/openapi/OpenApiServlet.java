package ai.ratelimiter.openapi;

import io.dropwizard.jetty.setup.ServletEnvironment;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI document of the application port ({@code docs/openapi.yaml}, built into
 * the jar) at {@code GET /openapi.yaml}. It is a servlet beside Jersey rather than a resource,
 * so none of the API's request filters (API keys, body bounds) applies: the document says how
 * to call the service, is public in the repository, and a client or gateway needs it before it
 * has a key. The bytes are read once at start-up and never change; thread-safe.
 */
public final class OpenApiServlet extends HttpServlet {

    /** Where the application port serves the document. */
    public static final String PATH = "/openapi.yaml";

    /** The media type of YAML (RFC 9512). */
    public static final String MEDIA_TYPE = "application/yaml";

    static final String RESOURCE = "/ai/ratelimiter/openapi/openapi.yaml";

    private static final long serialVersionUID = 1L;

    private final byte[] document;

    public OpenApiServlet(byte[] document) {
        this.document = document.clone();
    }

    /** The document as packaged with the service; fails start-up if the build left it out. */
    public static OpenApiServlet fromClasspath() {
        try (InputStream in = OpenApiServlet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document missing from the classpath: "
                        + RESOURCE);
            }
            return new OpenApiServlet(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }

    /** Maps this servlet to {@link #PATH} on the application port, ahead of Jersey's {@code /*}. */
    public void register(ServletEnvironment servlets) {
        servlets.addServlet("openapi", this).addMapping(PATH);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MEDIA_TYPE + ";charset=utf-8");
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }
}
