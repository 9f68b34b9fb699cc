package ai.ratelimiter.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a size bound, whether or not they declare their length, so
 * that no client can make the service buffer an unbounded body. The answer is 400 naming
 * {@code body}: the API answers every bad input with 400 or 422.
 */
@Provider
@PreMatching
public final class BodySizeLimitFilter implements ContainerRequestFilter {

    private final long maxBytes;

    public BodySizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // Read the header ourselves: the framework's getLength() parses it as an int and
        // fails with an exception on a length above 2^31.
        String declared = request.getHeaderString("Content-Length");
        if (declared != null && !declared.isBlank()) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw tooLarge();
            }
            if (length > maxBytes) {
                throw tooLarge();
            }
        }
        request.setEntityStream(new BoundedStream(request.getEntityStream(), maxBytes));
    }

    private ApiException tooLarge() {
        return new ApiException(400, "body_too_large", "body",
                "request body exceeds " + maxBytes + " bytes");
    }

    private final class BoundedStream extends FilterInputStream {
        private long remaining;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0) {
                consume(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int count = super.read(buffer, offset, length);
            if (count > 0) {
                consume(count);
            }
            return count;
        }

        private void consume(int count) {
            remaining -= count;
            if (remaining < 0) {
                throw tooLarge();
            }
        }
    }
}
