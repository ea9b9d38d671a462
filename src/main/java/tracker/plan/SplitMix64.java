package tracker.plan;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64 (Steele, Lea and Flood 2014; constants as in Vigna's reference code), a tiny
 * deterministic generator. The planner uses it instead of {@code java.util.Random} and friends
 * because trial settings are a documented contract: the same definition must plan the same
 * settings on every JDK, forever, and this algorithm is written out here in full, so no library
 * upgrade can change it.
 *
 * <p>Not thread-safe and not for cryptography; one instance per sequence of draws.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 uniformly distributed bits. */
    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** A uniform double in [0, 1): the top 53 bits, so every value is a multiple of 2^-53. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * A uniform long in [0, bound), without modulo bias: rejection on 63-bit draws (the same
     * scheme as {@code java.util.Random.nextInt(int)}, written out so it cannot change).
     */
    long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = bound - 1;
        long u = nextLong() >>> 1;
        long r = u % bound;
        while (u - r + m < 0) { // u fell in the incomplete last block of size bound: draw again
            u = nextLong() >>> 1;
            r = u % bound;
        }
        return r;
    }

    /**
     * Hashes several longs into one seed, order-sensitive, so that (seed, model, trial) tuples
     * that differ in any part give unrelated streams.
     */
    static long mix(long... parts) {
        long h = 0;
        for (long p : parts) {
            h = mix64(h + GOLDEN_GAMMA + mix64(p + GOLDEN_GAMMA));
        }
        return h;
    }

    /**
     * A stable 64-bit hash of the string's UTF-8 bytes: FNV-1a 64 followed by the SplitMix64
     * finalizer (FNV alone spreads short, similar names poorly in the high bits). Never
     * {@link String#hashCode()}, which is only 32 bits.
     */
    static long hash(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return mix64(h);
    }

    /** The SplitMix64 output function (a variant of MurmurHash3's fmix64). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
