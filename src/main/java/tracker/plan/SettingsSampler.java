package tracker.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import tracker.spec.ConditionalGrid;
import tracker.spec.Definition;
import tracker.spec.GridValues;
import tracker.spec.Space;

/**
 * The parameter settings of a model's trials, for each search method.
 *
 * <p>Settings are part of the product's contract, so they are a pure function of the search seed,
 * the method, the model's name and its params: nothing else (not the datasets, not the other
 * models, not the JDK, not the number of trials asked for). Trial k is therefore the same setting
 * on every machine and stays the same when an experiment grows from 4 to 8 trials, which is what
 * lets finished runs be reused.
 *
 * <p>Every space maps a unit coordinate u in [0, 1) to a value, so random and quasi-random search
 * differ only in where the coordinates come from. Dimensions are the params in name order;
 * constants take none.
 *
 * <p>All randomness comes from {@link SplitMix64} and all transcendental functions from
 * {@link StrictMath}, whose results are specified bit for bit, never from {@code java.util.Random}
 * or {@link Math}, whose results may differ between JDKs and CPUs.
 */
public final class SettingsSampler {
    /** Salt of the quasi-random shift stream; distinct from any trial index in practice. */
    private static final long QUASI_SALT = 0x5eed;
    /** Salt of the grid permutation stream. */
    private static final long GRID_SALT = 0x9a1d;
    /** Stands in for u = 0 where a space needs u in (0, 1): half the smallest non-zero draw. */
    private static final double SMALLEST_U = 0x1.0p-54;

    private SettingsSampler() {
    }

    /**
     * The settings of trials 0..count-1 of one model: param name to value, constants included,
     * conditional params only where they are active ({@code when:}).
     *
     * <ul>
     *   <li>random: trial k draws its coordinates from {@code SplitMix64(mix(seed, hash(name), k))},
     *       so it does not depend on count.</li>
     *   <li>quasi-random: point k + 1 of a Halton sequence (dimension d in the d-th prime base),
     *       shifted per dimension by a random rotation (Cranley-Patterson) drawn from
     *       {@code SplitMix64(mix(seed, hash(name), 0x5eed))}.</li>
     *   <li>grid: the Cartesian product of the params' grid values (last param varying fastest
     *       in the enumeration), handed out in one fixed pseudo-random permutation: the first
     *       min(count, grid size) of it, or all of it when {@code search.trials()} is null (count
     *       is then ignored). Growing count, or dropping the cap, keeps the earlier settings.
     *       With conditional params, the product without inactive params and without duplicates
     *       ({@link ConditionalGrid}).</li>
     * </ul>
     *
     * A model without params has count empty settings for random and quasi-random search, and
     * exactly one for grid search (the product of nothing).
     *
     * @throws IllegalArgumentException if count is negative, or for grid search if a param has no
     *                                  grid or the grid does not fit in memory
     */
    public static List<SortedMap<String, Object>> settings(Definition.Model model, Definition.Search search,
                                                           int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        Definition.Method method = search.method();
        if (method == Definition.Method.grid) {
            return grid(model, search, count);
        }
        long modelHash = SplitMix64.hash(model.name());
        int dims = dimensions(model);
        List<SortedMap<String, Object>> out = new ArrayList<>(count);
        if (method == Definition.Method.random) {
            for (int k = 0; k < count; k++) {
                SplitMix64 rng = new SplitMix64(SplitMix64.mix(search.seed(), modelHash, k));
                double[] u = new double[dims];
                for (int d = 0; d < dims; d++) {
                    u[d] = rng.nextDouble();
                }
                out.add(setting(model, u));
            }
        } else if (method == Definition.Method.quasi_random) {
            int[] bases = primes(dims);
            SplitMix64 shiftRng = new SplitMix64(SplitMix64.mix(search.seed(), modelHash, QUASI_SALT));
            double[] shifts = new double[dims];
            for (int d = 0; d < dims; d++) {
                shifts[d] = shiftRng.nextDouble();
            }
            for (int k = 0; k < count; k++) {
                double[] u = new double[dims];
                for (int d = 0; d < dims; d++) {
                    // index k + 1: the Halton point 0 is the all-zero corner in every dimension
                    u[d] = frac(radicalInverse(k + 1L, bases[d]) + shifts[d]);
                }
                out.add(setting(model, u));
            }
        } else {
            throw new IllegalArgumentException("unknown search method: " + method);
        }
        return Collections.unmodifiableList(out);
    }

    /** The seed adaptive search samples trial k of a cell with: distinct per cell and trial, so concurrent choices differ. */
    public static long adaptiveSeed(long seed, String model, String dataset, int k) {
        return SplitMix64.mix(seed, SplitMix64.hash(model + "/" + dataset), k);
    }

    /**
     * Trial k's setting under random search, alone: what {@code settings(model, random, k + 1).get(k)}
     * gives. Adaptive search draws a cell's start-up trials so.
     */
    public static SortedMap<String, Object> random(Definition.Model model, long seed, int k) {
        SplitMix64 rng = new SplitMix64(SplitMix64.mix(seed, SplitMix64.hash(model.name()), k));
        double[] u = new double[dimensions(model)];
        for (int d = 0; d < u.length; d++) {
            u[d] = rng.nextDouble();
        }
        return setting(model, u);
    }

    /**
     * How many settings a grid search of the model has: the product of the params' grid sizes
     * (with conditional params, the distinct settings once inactive ones are dropped), -1 if a
     * param has no grid (continuous without points, normal, log_normal), and
     * {@link Long#MAX_VALUE} if the product overflows a long.
     */
    public static long gridSize(Definition.Model model) {
        return GridValues.gridSize(model);
    }

    /** The value of a space at unit coordinate u in [0, 1); see the user documentation of each kind. */
    static Object valueAt(Space space, double u) {
        if (space instanceof Space.Constant c) {
            return c.value();
        }
        if (space instanceof Space.Categorical c) {
            int n = c.values().size();
            if (n == 0) {
                throw new IllegalArgumentException("categorical without values");
            }
            return c.values().get((int) Math.min(n - 1, Math.floor(u * n)));
        }
        if (space instanceof Space.Uniform s) {
            return s.min() + u * (s.max() - s.min());
        }
        if (space instanceof Space.LogUniform s) {
            return logUniform(s.min(), s.max(), u);
        }
        if (space instanceof Space.IntUniform s && s.log()) {
            // log-uniform over [min - 0.5, max + 0.5], rounded: integer k is drawn as often as its
            // interval [k - 0.5, k + 0.5] is wide on a log scale, and both bounds as often as any
            double a = StrictMath.log(s.min() - 0.5);
            double b = StrictMath.log(s.max() + 0.5);
            long k = Math.round(StrictMath.exp(a + u * (b - a)));
            return Math.max(s.min(), Math.min(s.max(), k));
        }
        if (space instanceof Space.IntUniform s) {
            long span = s.max() - s.min();
            long offset = (long) Math.floor(u * ((double) span + 1.0));
            return s.min() + Math.min(offset, span);
        }
        if (space instanceof Space.QUniform s) {
            return GridValues.typed(quantize(s.min() + u * (s.max() - s.min()), s.min(), s.max(), s.q()), s.integers());
        }
        if (space instanceof Space.QLogUniform s) {
            return GridValues.typed(quantize(logUniform(s.min(), s.max(), u), s.min(), s.max(), s.q()), s.integers());
        }
        if (space instanceof Space.Normal s) {
            return s.mu() + s.sigma() * inverseNormalCdf(Math.max(u, SMALLEST_U));
        }
        if (space instanceof Space.LogNormal s) {
            return StrictMath.exp(s.mu() + s.sigma() * inverseNormalCdf(Math.max(u, SMALLEST_U)));
        }
        throw new IllegalArgumentException("unknown space: " + space);
    }

    /**
     * The standard normal quantile, Wichura's algorithm AS241 (PPND16, Applied Statistics 37
     * (1988) 477-484): relative error about 1e-16 over (0, 1). p must be in (0, 1).
     */
    static double inverseNormalCdf(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r
                    + 67265.770927008700853) * r + 45921.953931549871457) * r
                    + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608)
                    / (((((((r * 5226.495278852854561 + 28729.085735721942674) * r
                    + 39307.89580009271061) * r + 21213.794301586595867) * r
                    + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1.0);
        }
        double r = StrictMath.sqrt(-StrictMath.log(q < 0 ? p : 1 - p));
        double val;
        if (r <= 5) {
            r -= 1.6;
            val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r
                    + 0.24178072517745061177) * r + 1.27045825245236838258) * r
                    + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                    + 4.6303378461565452959) * r + 1.42343711074968357734)
                    / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r
                    + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
                    + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                    + 2.05319162663775882187) * r + 1.0);
        } else {
            r -= 5;
            val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r
                    + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
                    + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                    + 5.4637849111641143699) * r + 6.6579046435011037772)
                    / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r
                    + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
                    + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                    + 0.59983220655588793769) * r + 1.0);
        }
        return q < 0 ? -val : val;
    }

    /** The van der Corput radical inverse of index in the given base, in [0, 1). */
    static double radicalInverse(long index, int base) {
        double inverseBase = 1.0 / base;
        double f = inverseBase;
        double r = 0;
        for (long i = index; i > 0; i /= base) {
            r += f * (i % base);
            f *= inverseBase;
        }
        return r;
    }

    /** The first n primes, one Halton base per dimension; any number of dimensions works. */
    static int[] primes(int n) {
        int[] out = new int[n];
        int found = 0;
        for (int candidate = 2; found < n; candidate++) {
            boolean prime = true;
            for (int i = 0; i < found && out[i] * out[i] <= candidate; i++) {
                if (candidate % out[i] == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                out[found++] = candidate;
            }
        }
        return out;
    }

    private static List<SortedMap<String, Object>> grid(Definition.Model model, Definition.Search search,
                                                        int count) {
        for (Map.Entry<String, Space> param : model.params().entrySet()) {
            if (GridValues.size(param.getValue()) < 0) {
                throw new IllegalArgumentException("param " + param.getKey() + " (" + param.getValue().distribution() + ") has no grid");
            }
        }
        ConditionalGrid g = ConditionalGrid.of(model);
        long n = g.size();
        long want = search.trials() == null ? n : Math.min(count, n);
        if (n == Long.MAX_VALUE || want > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("grid of model " + model.name() + " is too large: " + n);
        }
        // Always one fixed shuffled order, also for the whole grid: trial k is the same setting
        // whatever the count, so growing trials (or dropping the cap) only ever adds settings.
        // With conditional params the grid is the deduplicated one, shuffled the same way.
        List<SortedMap<String, Object>> out = new ArrayList<>();
        SplitMix64 rng = new SplitMix64(SplitMix64.mix(search.seed(), SplitMix64.hash(model.name()), GRID_SALT));
        for (long index : permutationPrefix(n, (int) want, rng)) {
            out.add(g.setting(index));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The first count entries of the forward Fisher-Yates shuffle of 0..n-1 (step i swaps
     * position i with a uniform j in [i, n)). Position i is final after step i, so the prefix is
     * computed in O(count) time and memory, keeping only the displaced entries, and it is the same
     * prefix the full shuffle would give.
     */
    private static long[] permutationPrefix(long n, int count, SplitMix64 rng) {
        Map<Long, Long> displaced = new HashMap<>();
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            long j = i + rng.nextLong(n - i);
            long atI = displaced.getOrDefault((long) i, (long) i);
            long atJ = displaced.getOrDefault(j, j);
            out[i] = atJ;
            displaced.put(j, atI);
            displaced.remove((long) i);
        }
        return out;
    }

    private static int dimensions(Definition.Model model) {
        int dims = 0;
        for (Space space : model.params().values()) {
            if (!(space instanceof Space.Constant)) {
                dims++;
            }
        }
        return dims;
    }

    /**
     * Every param drawn, then the inactive ones dropped: a conditional param takes its coordinate
     * whether or not it is active, so the coordinates, and the other params' values, are those of
     * the same model without conditions, and an active param keeps its own distribution.
     */
    private static SortedMap<String, Object> setting(Definition.Model model, double[] u) {
        TreeMap<String, Object> setting = new TreeMap<>();
        int d = 0;
        for (Map.Entry<String, Space> param : model.params().entrySet()) {
            Space space = param.getValue();
            setting.put(param.getKey(), space instanceof Space.Constant c ? c.value() : valueAt(space, u[d++]));
        }
        return model.activeOnly(setting);
    }

    /** Log-uniform in [min, max]; clamped because exp(log(max)) may round one ulp past max. */
    private static double logUniform(double min, double max, double u) {
        double a = StrictMath.log(min);
        double b = StrictMath.log(max);
        double v = StrictMath.exp(a + u * (b - a));
        return Math.min(max, Math.max(min, v));
    }

    /**
     * The multiple of q nearest x, stepped one q inward if rounding left [min, max]. Uses the
     * same decimal rounding and the same 1e-9 q tolerance as the grid lattice, so a random draw
     * is always one of the grid's values.
     */
    private static double quantize(double x, double min, double max, double q) {
        double tolerance = 1e-9 * Math.abs(q);
        double v = GridValues.roundTo(x, q);
        if (v > max + tolerance) {
            v = GridValues.roundTo(v - q, q);
        } else if (v < min - tolerance) {
            v = GridValues.roundTo(v + q, q);
        }
        return v;
    }

    private static double frac(double x) {
        return x >= 1.0 ? x - 1.0 : x;
    }
}
