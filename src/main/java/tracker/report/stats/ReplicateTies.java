package tracker.report.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Within one dataset: which models are not significantly worse than the best one, judged on their
 * replicates (runs of the selected configuration with different seeds) by Welch's two-sided
 * t-test at level alpha ({@link #ALPHA}, 0.05, by default). These are the ties that averages hide:
 * a model 0.2 points behind the best with replicates spread over 2 points is no worse.
 *
 * <p>A comparison needs at least two replicates on both sides; otherwise the verdict is
 * {@link Verdict#UNTESTED}, never a tie by default. Identical samples (the same values, in any
 * order, even a single one each) are {@link Verdict#NOT_WORSE}: no test could separate them.
 *
 * <p>Why Welch and not Mann-Whitney: with the 3 to 5 replicates usual here, a rank test cannot
 * reach 0.05 at all (3 against 3: the smallest two-sided exact p is 0.1), so it would call every
 * model a tie.
 */
public final class ReplicateTies {
    /** The default level of the within-dataset test. */
    public static final double ALPHA = 0.05;
    /** The name to print in a legend. */
    public static final String METHOD = "Welch's t-test";

    /** A model's standing against the best model of its dataset. */
    public enum Verdict {
        /** The model the caller named as best. */
        BEST,
        /** Welch's test finds no significant difference, or the samples are identical. */
        NOT_WORSE,
        /** Significantly worse than the best at alpha. */
        WORSE,
        /** Fewer than 2 replicates on this model's side or the best's: no test was possible. */
        UNTESTED
    }

    private ReplicateTies() {
    }

    /**
     * The verdict for each model, in the order of {@code replicates}.
     *
     * @param replicates each model's replicate values on one dataset (finite; the caller leaves out runs without a value)
     * @param best       the index of the best model (by mean, as the caller chose it)
     * @param maximize   true when higher is better: a model significantly above the best is not worse
     */
    public static List<Verdict> againstBest(List<double[]> replicates, int best, boolean maximize, double alpha) {
        Checks.alpha(alpha);
        if (best < 0 || best >= replicates.size()) {
            throw new IllegalArgumentException("best model index " + best + " is outside 0.." + (replicates.size() - 1));
        }
        double[] bestValues = replicates.get(best);
        List<Verdict> verdicts = new ArrayList<>();
        for (int m = 0; m < replicates.size(); m++) {
            double[] values = replicates.get(m);
            if (m == best) {
                verdicts.add(Verdict.BEST);
            } else if (values.length > 0 && identical(values, bestValues)) {
                verdicts.add(Verdict.NOT_WORSE);
            } else if (values.length < 2 || bestValues.length < 2) {
                verdicts.add(Verdict.UNTESTED);
            } else {
                Welch w = Welch.test(values, bestValues);
                boolean worseMean = maximize ? w.meanA() < w.meanB() : w.meanA() > w.meanB();
                verdicts.add(w.pValue() < alpha && worseMean ? Verdict.WORSE : Verdict.NOT_WORSE);
            }
        }
        return List.copyOf(verdicts);
    }

    public static List<Verdict> againstBest(List<double[]> replicates, int best, boolean maximize) {
        return againstBest(replicates, best, maximize, ALPHA);
    }

    private static boolean identical(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }
}
