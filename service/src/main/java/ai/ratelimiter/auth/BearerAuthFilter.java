package ai.ratelimiter.auth;

import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authenticator;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Locale;

/**
 * Reads {@code Authorization: Bearer <key>} and authenticates the key, answering 401 with
 * {@code WWW-Authenticate: Bearer} when it is missing, malformed, unknown or revoked. Unlike
 * Dropwizard's OAuth filter it never takes a key from the query string, where request logs
 * and proxies would record it. Thread-safe.
 */
public final class BearerAuthFilter extends AuthFilter<String, Caller> {

    /** The realm named in {@code WWW-Authenticate}. */
    public static final String REALM = "ai-rate-limiter";

    private static final String SCHEME = "Bearer";

    public BearerAuthFilter(Authenticator<String, Caller> authenticator) {
        this.prefix = SCHEME;
        this.realm = REALM;
        this.authenticator = authenticator;
        this.unauthorizedHandler = new JsonUnauthorizedHandler();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String credentials = credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (!authenticate(request, credentials, SCHEME)) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    /**
     * The token of a well-formed bearer header, or {@code null}: no header, another scheme, an
     * empty or over-long token, or characters outside visible ASCII. Several headers reach here
     * joined by commas and are refused with the rest.
     */
    static String credentials(String header) {
        if (header == null || header.length() > SCHEME.length() + 1 + ApiKeyFormat.MAX_LENGTH) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space <= 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        String token = header.substring(space + 1).strip();
        if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e || c == ',')) {
            return null;
        }
        return token;
    }
}
