package tracker.report.stats;

import java.util.Arrays;

import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;
import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

/**
 * The Wilcoxon signed-rank test of two paired samples (two models' scores on the same datasets),
 * two-sided, with the defaults of scipy.stats.wilcoxon (SciPy 1.17):
 * <ul>
 * <li>zero differences are discarded before ranking (Wilcoxon's method, {@code zero_method="wilcox"});
 * <li>tied absolute differences share their average rank;
 * <li>the p-value is exact (Commons Statistics' exact distribution of W+) when there are at most 50
 *     pairs and no ties and no zeros; with ties or zeros and at most 13 pairs (zeros counted, as
 *     SciPy counts them), it is exact over all
 *     2^n sign assignments of the ranks actually observed (what SciPy's deterministic permutation
 *     test computes); otherwise it is the normal approximation with the tie correction of the
 *     variance and no continuity correction.
 * </ul>
 * One difference from SciPy: when every difference is zero, SciPy returns NaN; here p is 1 (the
 * samples give no evidence of a difference) and the method is {@link Method#NONE}.
 *
 * <p>Demšar (2006, section 3.1.3) instead splits the ranks of zero differences evenly between
 * R+ and R-; {@link #rankSumsSplittingZeros} gives his R+ and R- for display and for checking his
 * Table 2.
 *
 * @param pairs              n, the number of pairs
 * @param zeroDifferences    pairs with x = y, left out of the test
 * @param rankSumPositive    W+, the sum of the ranks of the positive differences x - y
 * @param rankSumNegative    W-, the same for the negative ones
 * @param pValue             two-sided p
 * @param method             how p was computed
 */
public record SignedRank(int pairs, int zeroDifferences, double rankSumPositive, double rankSumNegative,
        double pValue, Method method) {

    /** How the p-value was computed. */
    public enum Method { EXACT, EXACT_WITH_TIES, NORMAL_APPROXIMATION, NONE }

    /** SciPy's limits: exact up to 50 pairs without ties or zeros; all 2^n sign assignments up to 13 pairs otherwise. */
    static final int EXACT_LIMIT = 50;
    static final int ENUMERATION_LIMIT = 13;
    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    /** T = min(W+, W-), the statistic of Demšar's and SciPy's two-sided test. */
    public double statistic() {
        return Math.min(rankSumPositive, rankSumNegative);
    }

    /**
     * Tests whether the differences x[i] - y[i] are symmetric about zero.
     *
     * @throws IllegalArgumentException when the samples are empty, of different lengths, or hold NaN
     */
    public static SignedRank test(double[] x, double[] y) {
        double[] all = differences(x, y);
        double[] nonZero = Arrays.stream(all).filter(d -> d != 0).toArray();
        int zeros = all.length - nonZero.length;
        if (nonZero.length == 0) {
            return new SignedRank(all.length, zeros, 0, 0, 1, Method.NONE);
        }
        double[] ranks = RANKING.apply(abs(nonZero));
        double positive = 0;
        for (int i = 0; i < nonZero.length; i++) {
            if (nonZero[i] > 0) {
                positive += ranks[i];
            }
        }
        double total = nonZero.length * (nonZero.length + 1.0) / 2;
        boolean ties = hasTies(ranks);
        double p;
        Method method;
        if (!ties && zeros == 0 && all.length <= EXACT_LIMIT) {
            p = WilcoxonSignedRankTest.withDefaults().with(PValueMethod.EXACT).test(nonZero).getPValue();
            method = Method.EXACT;
        } else if (all.length <= ENUMERATION_LIMIT) {
            p = enumerated(ranks, positive);
            method = Method.EXACT_WITH_TIES;
        } else {
            p = WilcoxonSignedRankTest.withDefaults().with(PValueMethod.ASYMPTOTIC).with(ContinuityCorrection.DISABLED)
                    .test(nonZero).getPValue();
            method = Method.NORMAL_APPROXIMATION;
        }
        return new SignedRank(all.length, zeros, positive, total - positive, p, method);
    }

    /**
     * R+ and R- as Demšar (2006, section 3.1.3) defines them: all n absolute differences are
     * ranked, zeros included, and the ranks of zero differences are split evenly between R+ and
     * R- (he drops one zero when their number is odd; SciPy's {@code zero_method="zsplit"}, which
     * this follows, does not).
     */
    public static RankSums rankSumsSplittingZeros(double[] x, double[] y) {
        double[] d = differences(x, y);
        double[] ranks = RANKING.apply(abs(d));
        double positive = 0;
        double negative = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] > 0) {
                positive += ranks[i];
            } else if (d[i] < 0) {
                negative += ranks[i];
            } else {
                positive += ranks[i] / 2;
                negative += ranks[i] / 2;
            }
        }
        return new RankSums(positive, negative);
    }

    /**
     * The sums of the ranks of the positive differences x - y (R+) and of the negative ones (R-).
     */
    public record RankSums(double positive, double negative) {
        /** T = min(R+, R-), compared with the critical values of Demšar's Table 2 text. */
        public double statistic() {
            return Math.min(positive, negative);
        }
    }

    /**
     * The two-sided p-value from the exact distribution of W+ over the 2^n equally likely sign
     * assignments of the given ranks (n <= 13: at most 8192). Tied ranks are half-integers, so the
     * sums are exact in double and compare exactly.
     */
    private static double enumerated(double[] ranks, double observed) {
        int n = ranks.length;
        long atMost = 0;
        long atLeast = 0;
        for (int signs = 0; signs < 1 << n; signs++) {
            double w = 0;
            for (int i = 0; i < n; i++) {
                if ((signs & 1 << i) != 0) {
                    w += ranks[i];
                }
            }
            if (w <= observed) {
                atMost++;
            }
            if (w >= observed) {
                atLeast++;
            }
        }
        double count = 1L << n;
        return Math.min(1, 2 * Math.min(atMost, atLeast) / count);
    }

    private static double[] differences(double[] x, double[] y) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("paired samples of equal, non-zero length are needed, got " + x.length + " and " + y.length);
        }
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - y[i];
            if (Double.isNaN(d[i])) {
                throw new IllegalArgumentException("pair " + i + " has a NaN value: compare only pairs where both have a score");
            }
        }
        return d;
    }

    private static double[] abs(double[] values) {
        return Arrays.stream(values).map(Math::abs).toArray();
    }

    /** A tie of t values gives t equal average ranks. */
    private static boolean hasTies(double[] ranks) {
        double[] sorted = ranks.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
