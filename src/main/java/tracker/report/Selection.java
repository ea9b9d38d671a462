package tracker.report;

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

    /** A logged metric ({@code PHASE.NAME}), or the run's duration when {@code phase} is null. */
    public record Metric(String phase, String name) {
        public static final Metric DURATION = new Metric(null, "duration");

        /**
         * {@code PHASE.NAME} (the phase is the text before the first dot: {@code val.top.1} is
         * metric {@code top.1} of phase {@code val}) or {@code duration}.
         *
         * @throws IllegalArgumentException with what to write instead
         */
        public static Metric parse(String text) {
            String t = text.strip();
            if (t.equals("duration")) {
                return DURATION;
            }
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1) {
                throw new IllegalArgumentException("--metric takes PHASE.NAME (e.g. test.accuracy, train.loss) or duration, not '"
                        + text + "'");
            }
            return new Metric(t.substring(0, dot), t.substring(dot + 1));
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
        last;

        /**
         * The epoch this rule chooses of a run with these epochs; null when it has none (best: no
         * value of the objective to choose by; last: nothing logged).
         */
        public Long choose(Long bestEpoch, Long lastEpoch) {
            return this == best ? bestEpoch : lastEpoch;
        }
    }

    /** The objective shown at each run's best epoch: what reports show when nothing else is asked. */
    public static Selection byObjective(Objective objective) {
        return new Selection(objective, objective.asMetric(), EpochRule.best);
    }

    /** Whether the shown figure is the objective itself, so a run's recorded outcome already holds it. */
    public boolean showsObjective() {
        return shown.equals(objective.asMetric());
    }

    /**
     * Whether a larger shown value is better: as the objective when it is shown; for another metric
     * the objective's direction too, except for names that read as a loss or error, and durations.
     */
    public boolean higherIsBetter() {
        if (showsObjective()) {
            return objective.maximize();
        }
        if (shown.isDuration()) {
            return false;
        }
        String n = shown.name().toLowerCase(Locale.ROOT);
        if (n.contains("loss") || n.contains("error") || n.contains("err") || n.contains("perplexity") || n.contains("mse")
                || n.contains("mae") || n.contains("rmse")) {
            return false;
        }
        return objective.maximize() || n.contains("acc") || n.contains("f1") || n.contains("auc") || n.contains("precision")
                || n.contains("recall") || n.contains("score");
    }

    private String epochWords() {
        return epoch == EpochRule.best ? "each run's best " + objective.phase() + "." + objective.metric() + " epoch"
                : "each run's last epoch";
    }

    /** The one line that says exactly what a cell holds, for headers and captions. */
    public String describe() {
        String choice = "the configuration with the best mean " + objective;
        if (showsObjective()) {
            return objective + " at " + epochWords() + ", of " + choice + "; mean ± std over its replicates";
        }
        if (shown.isDuration()) {
            return "duration (s) of " + choice + " at " + epochWords() + "; mean ± std over its replicates";
        }
        return shown + " at " + epochWords() + ", of " + choice + "; mean ± std over its replicates";
    }
}
