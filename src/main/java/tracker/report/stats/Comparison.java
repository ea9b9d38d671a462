package tracker.report.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * One post-hoc comparison of two models across datasets: the Wilcoxon signed-rank test of their
 * paired scores, its p-value after Holm's correction over the whole family of comparisons, and
 * the verdict at alpha (Demšar 2006, sections 3.1.3 and 3.2.2; Benavoli, Corani and Mangili 2016,
 * "Should we really use post-hoc tests based on mean-ranks?", JMLR 17, recommend exactly this
 * over the Nemenyi test).
 *
 * @param first        a model's index: the best-ranked one in {@link Family#AGAINST_BEST}
 * @param second       the other model's index
 * @param test         the signed-rank test of first's scores against second's
 * @param adjustedP    Holm-adjusted p-value
 * @param significant  adjustedP <= alpha
 */
public record Comparison(int first, int second, SignedRank test, double adjustedP, boolean significant) {

    /** Which pairs form the family that Holm's correction runs over. */
    public enum Family {
        /** k - 1 comparisons: each model against the one with the lowest average rank. */
        AGAINST_BEST,
        /** k(k-1)/2 comparisons, first &lt; second. */
        ALL_PAIRS
    }

    public double pValue() {
        return test.pValue();
    }

    /**
     * Holm-corrected Wilcoxon signed-rank tests on {@code scores[dataset][model]}.
     *
     * @param ranks the average ranks of the same scores: they say which model is best
     * @return the comparisons in the order: against the best, by model index; all pairs, (0,1), (0,2) ... (1,2) ...
     */
    public static List<Comparison> wilcoxonHolm(double[][] scores, AverageRanks ranks, Family family, double alpha) {
        Checks.alpha(alpha);
        int models = Checks.models(scores);
        if (ranks.models() != models || ranks.datasets() != scores.length) {
            throw new IllegalArgumentException("the ranks are of " + ranks.models() + " models on " + ranks.datasets()
                    + " datasets, the scores of " + models + " on " + scores.length);
        }
        List<int[]> pairs = new ArrayList<>();
        if (family == Family.AGAINST_BEST) {
            int best = ranks.best();
            for (int m = 0; m < models; m++) {
                if (m != best) {
                    pairs.add(new int[] {best, m});
                }
            }
        } else {
            for (int a = 0; a < models; a++) {
                for (int b = a + 1; b < models; b++) {
                    pairs.add(new int[] {a, b});
                }
            }
        }
        List<SignedRank> tests = new ArrayList<>();
        double[] p = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            SignedRank test = SignedRank.test(column(scores, pairs.get(i)[0]), column(scores, pairs.get(i)[1]));
            tests.add(test);
            p[i] = test.pValue();
        }
        double[] adjusted = Holm.adjust(p);
        List<Comparison> result = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            result.add(new Comparison(pairs.get(i)[0], pairs.get(i)[1], tests.get(i), adjusted[i], adjusted[i] <= alpha));
        }
        return List.copyOf(result);
    }

    private static double[] column(double[][] scores, int model) {
        double[] column = new double[scores.length];
        for (int d = 0; d < scores.length; d++) {
            column[d] = scores[d][model];
        }
        return column;
    }
}
