package ai.ratelimiter.replay;

/** A trace file that does not follow the format; the message names the file and line. */
public final class TraceFormatException extends RuntimeException {

    public TraceFormatException(String message) {
        super(message);
    }
}
