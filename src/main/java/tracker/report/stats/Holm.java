package tracker.report.stats;

import java.util.Arrays;

/**
 * Holm's step-down correction of a family of m p-values (Holm 1979; Demšar 2006, section 3.2.2):
 * with the p-values sorted ascending, p(1) <= ... <= p(m), the adjusted values are
 * <pre>
 *   adj(i) = max over j <= i of min(1, (m - j + 1) p(j))
 * </pre>
 * and hypothesis i is rejected at level alpha when adj(i) <= alpha, which is the same as Holm's
 * rule (reject while p(i) <= alpha / (m - i + 1), stop at the first that is not). The adjusted
 * values are those of R's p.adjust(method = "holm") and statsmodels' multipletests("holm").
 */
public final class Holm {
    private Holm() {
    }

    /** The adjusted p-values, in the order of the input. */
    public static double[] adjust(double[] pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " is " + pValues[i] + ", not between 0 and 1");
            }
            order[i] = i;
        }
        // stable, so equal p-values keep the input order and the result is deterministic
        Arrays.sort(order, (a, b) -> Double.compare(pValues[a], pValues[b]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int step = 0; step < m; step++) {
            int i = order[step];
            running = Math.max(running, Math.min(1, (m - step) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
