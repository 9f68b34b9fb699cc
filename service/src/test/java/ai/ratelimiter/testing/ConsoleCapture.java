package ai.ratelimiter.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Stands in for {@code System.out} while open, where the service's console log and request log
 * write (logback looks {@code System.out} up on every write): keeps everything written for the
 * test to read, and passes on to the real console only what {@code echo} accepts. One at a
 * time; close it to put the real console back.
 */
public final class ConsoleCapture implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private ConsoleCapture(Predicate<String> echo) {
        this.original = System.out;
        System.setOut(new PrintStream(new Tee(echo), true, StandardCharsets.UTF_8));
    }

    /** Captures the console, echoing the writes that {@code echo} accepts. */
    public static ConsoleCapture start(Predicate<String> echo) {
        return new ConsoleCapture(echo);
    }

    /** Everything written so far. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.out.flush();
        System.setOut(original);
    }

    /** Request-log lines of loopback clients, as the test apps' request log writes them. */
    public static boolean isRequestLog(String written) {
        return written.startsWith("127.0.0.1 - ");
    }

    private final class Tee extends OutputStream {
        private final Predicate<String> echo;

        Tee(Predicate<String> echo) {
            this.echo = echo;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Logback writes each event in one call, so a call is the unit the filter judges. */
        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (captured) {
                captured.write(bytes, offset, length);
            }
            if (echo.test(new String(bytes, offset, length, StandardCharsets.UTF_8))) {
                original.write(bytes, offset, length);
            }
        }
    }
}
