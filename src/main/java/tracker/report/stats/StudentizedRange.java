package tracker.report.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The studentized range distribution with infinite degrees of freedom: the range (largest minus
 * smallest) of k independent standard normal values. Its distribution function is
 * <pre>
 *   P(R <= q) = k * integral phi(z) (Phi(z + q) - Phi(z))^(k-1) dz
 * </pre>
 * (the largest value is z and the other k-1 lie within q below it), integrated here with
 * Simpson's rule over z in [-9, 9] (phi is below 1e-17 outside) and inverted by bisection. The
 * quantiles agree with scipy.stats.studentized_range(k, inf) and with Demšar (2006), Table 5, to
 * every printed digit; Commons Statistics has no studentized range distribution.
 */
public final class StudentizedRange {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final double LIMIT = 9;
    /** Simpson intervals over [-9, 9]: step 0.01, whose error (h^4) is far below the 1e-10 the bisection resolves. */
    private static final int INTERVALS = 1800;
    private static final double TOLERANCE = 1e-10;

    private StudentizedRange() {
    }

    /** P(R <= q) for the range R of k standard normal values. */
    public static double cdf(double q, int k) {
        checkModels(k);
        if (q <= 0) {
            return 0;
        }
        double h = 2 * LIMIT / INTERVALS;
        double sum = 0;
        for (int i = 0; i <= INTERVALS; i++) {
            double z = -LIMIT + i * h;
            double weight = i == 0 || i == INTERVALS ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += weight * integrand(z, q, k);
        }
        return Math.min(1, k * sum * h / 3);
    }

    private static double integrand(double z, double q, int k) {
        // Phi(z + q) - Phi(z), from whichever tail keeps the digits
        double within = z > 0
                ? STANDARD_NORMAL.survivalProbability(z) - STANDARD_NORMAL.survivalProbability(z + q)
                : STANDARD_NORMAL.cumulativeProbability(z + q) - STANDARD_NORMAL.cumulativeProbability(z);
        return STANDARD_NORMAL.density(z) * Math.pow(within, k - 1);
    }

    /** The q with P(R <= q) = p, for 0 < p < 1. */
    public static double quantile(double p, int k) {
        checkModels(k);
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability between 0 and 1 (exclusive) is needed, got " + p);
        }
        double low = 0;
        double high = 1;
        while (cdf(high, k) < p) {
            low = high;
            high *= 2;
        }
        while (high - low > TOLERANCE) {
            double mid = (low + high) / 2;
            if (cdf(mid, k) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    private static void checkModels(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("a range needs at least 2 values, got k = " + k);
        }
    }
}
