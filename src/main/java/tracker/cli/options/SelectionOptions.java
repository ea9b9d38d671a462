package tracker.cli.options;

import picocli.CommandLine.Option;
import tracker.TrackerException;
import tracker.report.Selection;

/** --metric and --epoch: what a report or export shows, while the objective still chooses (see {@link Selection}). */
public final class SelectionOptions {
    @Option(names = "--metric", paramLabel = "PHASE.NAME",
            description = "Show this metric instead of the objective, e.g. test.accuracy or train.loss (or duration: seconds a "
                    + "run took); the objective still chooses each run's epoch and each cell's configuration.")
    public String metric;

    @Option(names = "--epoch", paramLabel = "WHICH",
            description = "Each run's epoch: best (of the objective; the default) or last.")
    public Selection.EpochRule epoch;

    /** What was asked for, over this objective; a malformed --metric is a usage error. */
    public Selection selection(Selection.Objective objective) {
        Selection.Metric shown;
        try {
            shown = metric == null ? objective.asMetric() : Selection.Metric.parse(metric);
        } catch (IllegalArgumentException bad) {
            throw TrackerException.usage(bad.getMessage(), "e.g. --metric test." + objective.metric());
        }
        return new Selection(objective, shown, epoch == null ? Selection.EpochRule.best : epoch);
    }

    /** Whether either option was given (views that cannot take them refuse it). */
    public boolean given() {
        return metric != null || epoch != null;
    }
}
