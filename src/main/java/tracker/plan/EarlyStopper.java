package tracker.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import tracker.spec.Definition;

/**
 * Whether a run goes on after an epoch, from its objective there and its cell's other runs at the
 * same epoch. Pure: the store records the values, this judges them.
 *
 * <ul>
 * <li><b>asha</b> (asynchronous successive halving, Li et al. 2020, as Optuna's
 *     SuccessiveHalvingPruner): rungs are the epochs {@code minEpochs * eta^k}. At a rung the run's
 *     value joins those of every run of the cell that reached it; the run goes on only if it is at
 *     least as good as the {@code floor(n / eta)}-th best of them (the best when fewer than eta have
 *     arrived). Nobody waits for stragglers: a run is judged against whoever got there first, so
 *     early arrivals are judged leniently and late ones strictly - the asynchronous trade.</li>
 * <li><b>median</b> (Golovin et al. 2017, Google Vizier's median stopping rule, as Optuna's
 *     MedianPruner): from {@code minEpochs} on, a run stops when its value is worse than the median
 *     of the other runs' values at the same epoch, once at least {@code minRuns} others got there.</li>
 * </ul>
 * NaN is the worst value there is: a run whose objective went NaN is stopped at its next rung.
 */
public final class EarlyStopper {
    private EarlyStopper() {
    }

    /** The decision at one epoch; {@code reason} says why in words a worker's log can show. */
    public record Verdict(boolean stop, String reason) {
        static Verdict goOn(String reason) {
            return new Verdict(false, reason);
        }
    }

    /**
     * @param value  the run's objective at this epoch
     * @param others the objective of each other run of the cell at this epoch (the run itself excluded)
     * @return null when the rule does not judge at this epoch
     */
    public static Verdict judge(Definition.EarlyStopping rule, boolean maximize, long epoch, double value, Collection<Double> others) {
        if (!rule.judges(epoch)) {
            return null;
        }
        Comparator<Double> better = betterFirst(maximize);
        if (rule.rule() == Definition.Rule.asha) {
            List<Double> competing = new ArrayList<>(others);
            competing.add(value);
            competing.sort(better);
            int keep = Math.max(1, competing.size() / rule.eta());
            double bar = competing.get(keep - 1);
            boolean promoted = better.compare(value, bar) <= 0;
            String where = "rung epoch " + epoch + ": " + format(value) + " against " + competing.size() + " run"
                    + (competing.size() == 1 ? "" : "s") + " of the cell, the best " + keep + " go on (bar " + format(bar) + ")";
            return promoted ? Verdict.goOn(where) : new Verdict(true, "pruned at " + where);
        }
        if (others.size() < rule.minRuns()) {
            return Verdict.goOn("epoch " + epoch + ": " + others.size() + " other run(s) got here, the median rule waits for "
                    + rule.minRuns());
        }
        List<Double> sorted = new ArrayList<>(others);
        sorted.sort(better);
        double median = median(sorted);
        boolean worse = better.compare(value, median) > 0;
        String where = "epoch " + epoch + ": " + format(value) + " against the median " + format(median) + " of "
                + sorted.size() + " other run(s) of the cell";
        return worse ? new Verdict(true, "pruned at " + where) : Verdict.goOn(where);
    }

    /** Better values first; NaN after every number whichever way is better. */
    static Comparator<Double> betterFirst(boolean maximize) {
        return (a, b) -> {
            boolean an = a.isNaN();
            boolean bn = b.isNaN();
            if (an || bn) {
                return Boolean.compare(an, bn);
            }
            return maximize ? Double.compare(b, a) : Double.compare(a, b);
        };
    }

    /** The median of values already in order (NaN last): the mean of the two middle ones for an even count. */
    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6g", v);
    }
}
