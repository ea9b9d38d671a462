package tracker.spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a space takes in a grid search, for the spaces that have finitely many. Sizes are
 * computed, never counted, and value k is computed from k, so a huge grid costs nothing to
 * measure or to sample from (a grid search takes a few settings of it).
 */
public final class GridValues {
    /** Quantized values are exact multiples of q only while |value| / q stays below this (a double's 53 bits). */
    public static final double MAX_STEPS = 1e15;

    private GridValues() {
    }

    /**
     * How many values, {@link Long#MAX_VALUE} when more than a long counts, or -1 when the space is
     * continuous without {@code points} (not griddable).
     */
    public static long size(Space space) {
        if (space instanceof Space.Constant) {
            return 1;
        }
        if (space instanceof Space.Categorical c) {
            return c.values().size();
        }
        if (space instanceof Space.IntUniform i) {
            try {
                return Math.addExact(Math.subtractExact(i.max(), i.min()), 1);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        if (space instanceof Space.QUniform q) {
            return latticeSize(q.min(), q.max(), q.q());
        }
        if (space instanceof Space.QLogUniform q) {
            return latticeSize(q.min(), q.max(), q.q());
        }
        if (space instanceof Space.Uniform u) {
            return u.points() == null ? -1 : u.points();
        }
        if (space instanceof Space.LogUniform u) {
            return u.points() == null ? -1 : u.points();
        }
        return -1; // normal, log_normal: unbounded
    }

    /**
     * Settings in a model's grid: the product of its params' sizes, 1 without params, -1 if a
     * param has no grid, {@link Long#MAX_VALUE} if the product overflows a long. With conditional
     * params, the settings that differ once inactive params are left out ({@link ConditionalGrid}).
     */
    public static long gridSize(Definition.Model model) {
        if (!model.conditions().isEmpty()) {
            return ConditionalGrid.of(model).size();
        }
        long n = 1;
        for (Space space : model.params().values()) {
            long size = size(space);
            if (size < 0) {
                return -1;
            }
            n = n == Long.MAX_VALUE || size == Long.MAX_VALUE ? Long.MAX_VALUE : multiplySaturated(n, size);
        }
        return n;
    }

    /** a * b for non-negative longs, {@link Long#MAX_VALUE} when it overflows. */
    public static long multiplySaturated(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    /** Value k (0-based, below {@link #size}) in grid order. */
    public static Object valueAt(Space space, long k) {
        if (space instanceof Space.Constant c) {
            return c.value();
        }
        if (space instanceof Space.Categorical c) {
            return c.values().get(Math.toIntExact(k));
        }
        if (space instanceof Space.IntUniform i) {
            return i.min() + k;
        }
        if (space instanceof Space.QUniform q) {
            return typed(latticeValue(q.min(), q.q(), k), q.integers());
        }
        if (space instanceof Space.QLogUniform q) {
            return typed(latticeValue(q.min(), q.q(), k), q.integers());
        }
        if (space instanceof Space.Uniform u && u.points() != null) {
            return spaced(u.min(), u.max(), u.points(), k, false);
        }
        if (space instanceof Space.LogUniform u && u.points() != null) {
            return spaced(u.min(), u.max(), u.points(), k, true);
        }
        throw new IllegalArgumentException(space.distribution() + " has no grid");
    }

    /** A quantized value as a Long when its space has whole bounds and step, else as it is. */
    public static Object typed(double value, boolean integers) {
        return integers ? (Object) Math.round(value) : (Object) value;
    }

    /** At most this many significant digits in an inner grid point. */
    private static final int INNER_DIGITS = 15;
    /** How many ulps of its inputs the arithmetic of a grid point may be off by (generous: a few are seen). */
    private static final double ERROR_ULPS = 4;

    /**
     * Point k of n evenly spaced (or log-spaced) points from min to max. The first and last are
     * min and max themselves (exp(log(0.1)) is 0.10000000000000006). An inner point is the
     * shortest decimal within the arithmetic's error of the computed one - 1e-04 for
     * 9.999999999999991e-05, 0.3 for 0.30000000000000004 - or else the computed one rounded to
     * 15 significant digits; unless that would make it equal to a neighbour (in a range a few
     * ulps wide), where the computed values still differ.
     */
    private static double spaced(double min, double max, int n, long k, boolean log) {
        if (k == 0 || n == 1) {
            return min;
        }
        if (k == n - 1) {
            return max;
        }
        double raw = computed(min, max, n, k, log);
        double clean = clean(raw, min, max, log);
        for (long j : new long[] {k - 1, k + 1}) {
            boolean bound = j == 0 || j == n - 1;
            double neighbour = j == 0 ? min : j == n - 1 ? max : computed(min, max, n, j, log);
            if (clean == neighbour || (!bound && clean == clean(neighbour, min, max, log))) {
                return raw;
            }
        }
        return clean;
    }

    /** StrictMath, as in the sampler: the same points on every JDK and CPU. */
    private static double computed(double min, double max, int n, long k, boolean log) {
        if (!log) {
            return min + (max - min) * k / (n - 1);
        }
        double a = StrictMath.log(min);
        double b = StrictMath.log(max);
        return StrictMath.exp(a + (b - a) * k / (n - 1));
    }

    private static double clean(double x, double min, double max, boolean log) {
        // the error of min + (max - min) * t is absolute, about an ulp of the bounds; that of
        // exp(log(min) + t * (log(max) - log(min))) relative, about an ulp of the logarithms
        double tolerance = log ? Math.abs(x) * ERROR_ULPS * Math.ulp(1.0) * (1 + Math.abs(StrictMath.log(min)) + Math.abs(StrictMath.log(max)))
                : ERROR_ULPS * (Math.ulp(min) + Math.ulp(max));
        BigDecimal exact = new BigDecimal(x);
        for (int digits = 1; digits < INNER_DIGITS; digits++) {
            double candidate = exact.round(new MathContext(digits)).doubleValue();
            if (Math.abs(candidate - x) <= tolerance) {
                return candidate;
            }
        }
        return exact.round(new MathContext(INNER_DIGITS)).doubleValue();
    }

    /** All values in order; only for spaces whose {@link #size} is small. */
    public static List<Object> of(Space space) {
        long n = size(space);
        if (n < 0 || n > 10_000_000) {
            throw new IllegalArgumentException(space.distribution() + " has no grid small enough to list: " + n);
        }
        List<Object> out = new ArrayList<>();
        for (long k = 0; k < n; k++) {
            out.add(valueAt(space, k));
        }
        return out;
    }

    /**
     * Multiple k of q from the first one at or above min, computed in decimal so 0.1 steps do not
     * drift (0.30000000000000004).
     */
    static double latticeValue(double min, double q, long k) {
        BigDecimal step = BigDecimal.valueOf(q);
        return latticeStart(min, q).add(step.multiply(BigDecimal.valueOf(k))).doubleValue();
    }

    private static BigDecimal latticeStart(double min, double q) {
        return BigDecimal.valueOf(Math.ceil(min / q - 1e-9)).multiply(BigDecimal.valueOf(q));
    }

    /** How many multiples of q lie in [min, max] (with the same tolerance at max as always): estimated, then settled exactly. */
    static long latticeSize(double min, double max, double q) {
        double bound = max + 1e-9 * Math.abs(q);
        double estimate = Math.floor((bound - latticeStart(min, q).doubleValue()) / q) + 1;
        if (estimate > MAX_STEPS) {
            return (long) Math.min(estimate, Long.MAX_VALUE);
        }
        long n = Math.max(0, (long) estimate);
        while (n > 0 && latticeValue(min, q, n - 1) > bound) {
            n--;
        }
        while (latticeValue(min, q, n) <= bound) {
            n++;
        }
        return n;
    }

    /** Rounds to the nearest multiple of q, in decimal. */
    public static double roundTo(double value, double q) {
        return BigDecimal.valueOf(Math.round(value / q)).multiply(BigDecimal.valueOf(q)).doubleValue();
    }
}
