package tracker.cli;

import java.util.Collection;

import tracker.TrackerException;
import tracker.cli.options.SelectionOptions;
import tracker.report.Selection;
import tracker.store.Epochs;
import tracker.store.ExperimentRecord;
import tracker.store.ReadModel;
import tracker.store.RunRecord;
import tracker.util.Suggestions;

/**
 * A run's chosen epoch and the shown metric's value there, as a {@link Selection} defines them:
 * what {@code --metric} / {@code --epoch} add to the runs view and to the export's run rows.
 *
 * @param epoch the epoch the objective chooses (its best epoch, or its last); null when it has none
 * @param value the shown metric at that epoch (the run's duration for {@code --metric duration});
 *              null when the run has no such value
 */
record Chosen(Long epoch, Double value) {

    /** The selection of these options over the experiment's objective. */
    static Selection selection(SelectionOptions options, ExperimentRecord e) {
        return options.selection(ReportCommand.objective(e));
    }

    /** The store's name for the selection's epoch rule. */
    static ReadModel.Epoch rule(Selection s) {
        return s.epoch() == Selection.EpochRule.last ? ReadModel.Epoch.LAST : ReadModel.Epoch.BEST;
    }

    /** The epoch the selection chooses of this run (the same as the matrix chooses, {@link RunRecord#chosenEpoch}). */
    static Long epochOf(Selection s, RunRecord r) {
        return r.chosenEpoch(rule(s));
    }

    /**
     * The epoch whose stored values the shown value needs, or null when the run's record holds it
     * already (its duration, or the objective at its best epoch, which is the best value itself).
     */
    static Long epochToRead(Selection s, RunRecord r) {
        return needsEpochs(s) ? epochOf(s, r) : null;
    }

    static boolean needsEpochs(Selection s) {
        return !s.shown().isDuration() && !(s.showsObjective() && s.epoch() == Selection.EpochRule.best);
    }

    /** This run's chosen epoch and shown value; {@code at} is the stored epoch {@link #epochToRead} named (null if none). */
    static Chosen of(Selection s, RunRecord r, Epochs.Epoch at) {
        Long epoch = epochOf(s, r);
        Double value;
        if (s.shown().isDuration()) {
            value = r.durationSeconds();
        } else if (!needsEpochs(s)) {
            value = r.objectiveBest();
        } else {
            value = at == null || epoch == null || at.epoch() != epoch ? null : at.value(s.shown().phase(), s.shown().name());
        }
        return new Chosen(epoch, value);
    }

    /**
     * A usage error when {@code --metric} names a metric no run has logged while others have been
     * (a typo, most likely: {@code test.acc} for {@code test.accuracy}); before anything is logged
     * every name is accepted.
     */
    static void checkLogged(Selection s, Collection<String> logged) {
        if (s.shown().isDuration() || logged.isEmpty() || logged.contains(s.shown().toString())) {
            return;
        }
        String close = Suggestions.closest(s.shown().toString(), logged);
        throw TrackerException.usage("--metric " + s.shown() + ": no run of this experiment has logged it"
                        + (close == null ? "" : "; did you mean '" + close + "'?"),
                "metrics logged: " + String.join(", ", logged) + " (or duration)");
    }
}
