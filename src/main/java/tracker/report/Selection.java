package tracker.report;

import java.util.List;
import java.util.Locale;

/**
 * What a report shows and how the shown figure is chosen - the rule "select on validation,
 * report on test":
 * <ol>
 *   <li>each run's epoch is chosen by the objective: the epoch of its best value, or its last epoch
 *       ({@link EpochRule});</li>
 *   <li>each cell's configuration is chosen by the objective's mean over its replicates (at those epochs);</li>
 *   <li>the cell shows the {@link #shown} metric of that configuration's replicates, each at its chosen
 *       epoch, as mean ± std.</li>
 * </ol>
 * The shown metric is the objective itself unless {@code --metric} names another, e.g. {@code test.accuracy};
 * {@code duration} shows how long the runs took (seconds from claim to end), not a logged metric.
 */
public record Selection(Objective objective, Metric shown, EpochRule epoch) {
    /** The definition's objective: which phase and metric choose, and which way is better. */
    public record Objective(String phase, String metric, boolean maximize) {
        public Metric asMetric() {
            return new Metric(phase, metric);
        }

        @Override
        public String toString() {
            return phase + "." + metric + " (" + (maximize ? "maximize" : "minimize") + ")";
        }
    }

    /**
     * A logged metric ({@code PHASE.NAME}), or the run's duration when {@code phase} is null; {@code goal}
     * is "max" or "min" when the user said which way it is better, else null.
     */
    public record Metric(String phase, String name, String goal) {
        public static final Metric DURATION = new Metric(null, "duration", null);

        public Metric(String phase, String name) {
            this(phase, name, null);
        }

        /**
         * {@code PHASE.NAME[:max|:min]} (the phase is the text before the first dot: {@code val.top.1} is
         * metric {@code top.1} of phase {@code val}) or {@code duration}.
         *
         * @throws IllegalArgumentException with what to write instead
         */
        public static Metric parse(String text) {
            String t = text.strip();
            String goal = null;
            int colon = t.lastIndexOf(':');
            if (colon > 0) {
                goal = t.substring(colon + 1);
                if (!goal.equals("max") && !goal.equals("min")) {
                    throw new IllegalArgumentException("--metric " + text + ": after ':' comes max or min (which way is better), not '"
                            + goal + "'");
                }
                t = t.substring(0, colon);
            }
            if (t.equals("duration")) {
                return DURATION;
            }
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1) {
                throw new IllegalArgumentException("--metric takes PHASE.NAME (e.g. test.accuracy, train.loss) or duration, not '"
                        + text + "'");
            }
            return new Metric(t.substring(0, dot), t.substring(dot + 1), goal);
        }

        /** The same metric, whichever way it was said to be better. */
        Metric plain() {
            return new Metric(phase, name, null);
        }

        public boolean isDuration() {
            return phase == null;
        }

        @Override
        public String toString() {
            return isDuration() ? name : phase + "." + name;
        }
    }

    /** Which epoch of a run counts. */
    public enum EpochRule {
        /** The epoch of the objective's best value (the earliest, if several reach it). */
        best,
        /** The run's last epoch: what a run that cannot choose its checkpoint would deliver. */
        last
    }

    /** The objective shown at each run's best epoch: what reports show when nothing else is asked. */
    public static Selection byObjective(Objective objective) {
        return new Selection(objective, objective.asMetric(), EpochRule.best);
    }

    /** Whether the shown figure is the objective itself, so a run's recorded outcome already holds it. */
    public boolean showsObjective() {
        return shown.plain().equals(objective.asMetric());
    }

    /**
     * Which way the shown values are better, which the best marks and ranks follow: as the user said
     * ({@code :max} / {@code :min}); else as the objective for the objective's metric in any phase
     * ({@code test.accuracy} under {@code val.accuracy}); lower for durations and names that read as
     * a loss or an error, higher for names that read as a score; null when it cannot be told.
     */
    public Boolean higherIsBetter() {
        if (shown.goal() != null) {
            return shown.goal().equals("max");
        }
        if (shown.isDuration()) {
            return false;
        }
        if (shown.name().equals(objective.metric())) {
            return objective.maximize();
        }
        String n = shown.name().toLowerCase(Locale.ROOT);
        for (String lower : LOWER_IS_BETTER) {
            if (n.contains(lower)) {
                return false;
            }
        }
        for (String higher : HIGHER_IS_BETTER) {
            if (n.contains(higher)) {
                return true;
            }
        }
        return null;
    }

    private static final List<String> LOWER_IS_BETTER = List.of("loss", "error", "err", "perplexity", "ppl", "mse", "mae", "rmse",
            "wer", "cer", "time", "latency", "nll");
    private static final List<String> HIGHER_IS_BETTER = List.of("acc", "f1", "auc", "precision", "recall", "score", "bleu",
            "rouge", "iou", "map", "r2", "ndcg", "mrr", "hit");

    /** The one line that says exactly what a cell holds, for headers and captions. */
    public String describe() {
        String runs = epoch == EpochRule.best ? "each run at its best " + (showsObjective() ? "" : objective.phase() + "."
                + objective.metric() + " ") + "epoch" : "each run at its last epoch";
        if (showsObjective()) {
            return objective + ": best configuration by its mean, " + runs + "; mean ± std over replicates";
        }
        String chosen = "configuration with the best mean " + objective;
        if (shown.isDuration()) {
            return "duration (s): " + chosen + "; mean ± std over replicates";
        }
        return shown + ": " + chosen + ", " + runs + "; mean ± std over replicates";
    }
}
