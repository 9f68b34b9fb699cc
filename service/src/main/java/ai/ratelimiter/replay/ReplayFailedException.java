package ai.ratelimiter.replay;

/**
 * Ends the {@code replay} command with a non-zero exit status after its report is printed:
 * the application turns it into {@code System.exit(exitCode)}.
 */
public final class ReplayFailedException extends RuntimeException {

    private final int exitCode;

    public ReplayFailedException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
