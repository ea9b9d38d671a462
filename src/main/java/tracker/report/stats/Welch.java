package tracker.report.stats;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * Welch's t-test of two independent samples (the replicates of two models on one dataset), which
 * does not assume equal variances: t = (mean_a - mean_b) / sqrt(s_a^2/n_a + s_b^2/n_b) on the
 * Welch-Satterthwaite degrees of freedom, two-sided; scipy.stats.ttest_ind(a, b, equal_var=False).
 * Computed by Commons Statistics' TTest (heteroscedastic).
 *
 * <p>When both samples have zero variance, t is undefined (SciPy gives NaN); here equal means give
 * t = 0 and p = 1, and different means t = ±Infinity and p = 0: constant replicates that differ
 * differ certainly. The degrees of freedom are then NaN.
 *
 * @param t       Welch's t statistic, positive when a's mean is the larger
 * @param df      the Welch-Satterthwaite degrees of freedom
 * @param pValue  two-sided p
 */
public record Welch(double meanA, double meanB, double t, double df, double pValue) {
    private static final TTest WELCH = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC)
            .with(AlternativeHypothesis.TWO_SIDED);

    /** @throws IllegalArgumentException when a sample has fewer than two values or holds NaN */
    public static Welch test(double[] a, double[] b) {
        check(a, "first");
        check(b, "second");
        double meanA = mean(a);
        double meanB = mean(b);
        if (sumOfSquares(a, meanA) == 0 && sumOfSquares(b, meanB) == 0) {
            if (meanA == meanB) {
                return new Welch(meanA, meanB, 0, Double.NaN, 1);
            }
            return new Welch(meanA, meanB, meanA > meanB ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, Double.NaN, 0);
        }
        TTest.Result r = WELCH.test(a, b);
        return new Welch(meanA, meanB, r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue());
    }

    private static void check(double[] sample, String which) {
        if (sample.length < 2) {
            throw new IllegalArgumentException("Welch's t-test needs at least 2 values per sample, the " + which + " has " + sample.length);
        }
        for (double v : sample) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the " + which + " sample holds " + v + ": test only finite values");
            }
        }
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sumOfSquares(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum;
    }
}
