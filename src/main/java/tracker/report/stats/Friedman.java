package tracker.report.stats;

import java.util.Arrays;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.FDistribution;

/**
 * The Friedman test of whether k models perform alike across N datasets, with the Iman-Davenport
 * correction (Demšar 2006, section 3.2.2):
 * <pre>
 *   chi2_F = 12N / (k(k+1)) * (sum_j R_j^2 - k(k+1)^2 / 4)        df = k - 1
 *   F_F    = (N-1) chi2_F / (N(k-1) - chi2_F)                     df = (k-1, (k-1)(N-1))
 * </pre>
 * where R_j are the average ranks. Demšar recommends F_F: chi2_F is "undesirably conservative".
 * The p-values are the upper tails of the chi-square and F distributions.
 *
 * <p>{@link Ties#CORRECTED} divides chi2_F by {@code 1 - sum(t^3 - t) / (N k (k^2 - 1))} over the
 * groups of t tied models on each dataset, as R's friedman.test and scipy.stats.friedmanchisquare
 * do; {@link Ties#UNCORRECTED} is Demšar's formula as printed. Without ties both are the same.
 * When every dataset ties every model, chi2_F is 0 and p is 1.
 *
 * @param chiSquare  chi2_F
 * @param pValue     P(chi2(k-1) >= chi2_F)
 * @param f          F_F, the Iman-Davenport statistic (+Infinity when every dataset ranks the models alike,
 *                   NaN for a single dataset)
 * @param dfModels   k - 1, F_F's numerator degrees of freedom
 * @param dfResidual (k-1)(N-1), F_F's denominator degrees of freedom
 * @param fPValue    P(F(k-1, (k-1)(N-1)) >= F_F); 1 when N = 1 (no residual degrees of freedom)
 */
public record Friedman(int models, int datasets, Ties ties, double chiSquare, double pValue,
        double f, int dfModels, int dfResidual, double fPValue) {

    /** Whether chi2_F is corrected for tied ranks. */
    public enum Ties { CORRECTED, UNCORRECTED }

    /** The test on ranks, corrected for ties (the value R and SciPy print). */
    public static Friedman test(AverageRanks ranks) {
        return test(ranks, Ties.CORRECTED);
    }

    public static Friedman test(AverageRanks ranks, Ties ties) {
        int k = ranks.models();
        int n = ranks.datasets();
        double sumOfSquares = 0;
        for (double r : ranks.average()) {
            sumOfSquares += r * r;
        }
        double chi = 12.0 * n / (k * (k + 1.0)) * (sumOfSquares - k * (k + 1.0) * (k + 1.0) / 4);
        chi = Math.max(chi, 0); // rounding can leave -1e-15 when all average ranks are equal
        if (ties == Ties.CORRECTED) {
            double correction = 1 - tiedGroups(ranks.perDataset()) / (n * k * (k * (double) k - 1));
            chi = correction <= 0 ? 0 : chi / correction;
        }
        double p = ChiSquaredDistribution.of(k - 1).survivalProbability(chi);
        int dfModels = k - 1;
        int dfResidual = (k - 1) * (n - 1);
        double denominator = n * (k - 1.0) - chi;
        double f;
        double fp;
        if (dfResidual == 0) {
            f = Double.NaN;
            fp = 1;
        } else if (denominator <= 1e-12 * n * k) {
            f = Double.POSITIVE_INFINITY; // every dataset ranks the models the same way
            fp = 0;
        } else {
            f = (n - 1) * chi / denominator;
            fp = FDistribution.of(dfModels, dfResidual).survivalProbability(f);
        }
        return new Friedman(k, n, ties, chi, p, f, dfModels, dfResidual, fp);
    }

    /** sum over datasets and groups of tied ranks of t^3 - t. */
    private static double tiedGroups(double[][] perDataset) {
        double sum = 0;
        for (double[] row : perDataset) {
            double[] sorted = row.clone();
            Arrays.sort(sorted);
            int i = 0;
            while (i < sorted.length) {
                int j = i;
                while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                    j++;
                }
                double t = j - i + 1;
                sum += t * t * t - t;
                i = j + 1;
            }
        }
        return sum;
    }

    /**
     * The p-value a verdict goes by: the Iman-Davenport F's, except when F is infinite (every dataset
     * ranks the models alike, no residual variation) - the chi-square form still has a distribution then.
     */
    public double verdictPValue() {
        return Double.isInfinite(f) ? pValue : fPValue;
    }
}
