package ai.ratelimiter.windows;

/**
 * Says which clock the window script reads. Production always uses the Redis server clock
 * ({@link #REDIS_SERVER}), shared by every replica; tests pass a clock they move themselves.
 */
@FunctionalInterface
public interface ScriptClock {

    /** The Redis server clock: the script calls {@code TIME}. */
    ScriptClock REDIS_SERVER = () -> "";

    /** The script's first argument: "" for the Redis clock, or an instant in ms. */
    String scriptArgument();
}
