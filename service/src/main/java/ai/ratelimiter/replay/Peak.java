package ai.ratelimiter.replay;

/**
 * The largest number of requests and the largest number of tokens counted at any one instant
 * of a window; the two maxima may be reached at different instants. Immutable.
 */
public record Peak(long requests, long tokens) {

    public static final Peak NONE = new Peak(0, 0);
}
