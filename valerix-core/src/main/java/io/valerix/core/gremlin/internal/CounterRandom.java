package io.valerix.core.gremlin.internal;

/**
 * Uniform numbers that are a pure function of (seed, request number, rule index, stream).
 *
 * <p>A shared {@code Random} would hand out numbers in whatever order threads happen to ask, so
 * the same seed would give different runs; hashing the coordinates with the SplitMix64 finalizer
 * gives every request its own numbers no matter which thread decides it, or when.
 *
 * <p>Immutable and thread-safe.
 */
public final class CounterRandom {

    /** The stream that decides whether a rule fires. */
    public static final int ROLL = 0;

    /** The stream a firing rule samples its delay from. */
    public static final int SAMPLE = 1;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long RULE_GAMMA = 0xD1B54A32D192ED03L;

    private final long key;

    public CounterRandom(long seed) {
        this.key = mix(seed);
    }

    /** A number in [0, 1) with 53 random bits. */
    public double uniform(long request, int rule, int stream) {
        long h = mix(key + request * GOLDEN_GAMMA);
        h = mix(h + ((long) rule << 1 | stream) * RULE_GAMMA + GOLDEN_GAMMA);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** The SplitMix64 finalizer (Steele, Lea, Flood 2014): a bijection with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
