package tracker.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

import tracker.TrackerException;
import tracker.report.Curves;
import tracker.report.CurvesReport;
import tracker.report.Selection;
import tracker.store.Epochs;
import tracker.store.ExperimentRecord;
import tracker.store.ReadModel;
import tracker.store.Results;
import tracker.util.Suggestions;

/**
 * {@code tracker report --view curves}: picks the dataset and models, chooses each model's
 * configuration from the recorded outcomes ({@link Curves#choose}, the matrix's rule), and reads the
 * epochs of that configuration's replicates only - each run's epochs are one range of the metrics'
 * {@code _id} index.
 */
final class CurvesView {
    private CurvesView() {
    }

    static CurvesReport report(ReadModel read, ExperimentRecord e, Selection selection, String datasetOption, List<String> modelOptions) {
        if (selection.shown().isDuration()) {
            throw TrackerException.usage("--view curves plots a metric per epoch, and duration is one number per run",
                    "give --metric PHASE.NAME, e.g. --metric train.loss, or leave it out for the objective");
        }
        String dataset = dataset(e, datasetOption);
        List<ReadModel.CellOutcomes> cells = cells(e, dataset, read.cells(e, dataset), modelOptions);
        List<Chosen> chosen = new ArrayList<>();
        for (ReadModel.CellOutcomes c : cells) {
            chosen.add(choose(c, selection));
        }
        Selection.Metric shown = selection.shown();
        checkLogged(read, shown, chosen.stream().flatMap(ch -> ch.runs().stream()).toList());
        List<Curves.Curve> curves = new ArrayList<>();
        for (Chosen ch : chosen) {
            List<Map<Long, Double>> values = ch.runs().stream().map(run -> values(read, run, shown)).toList();
            curves.add(new Curves.Curve(ch.model(), ch.trial(), ch.runs(), Curves.points(values)));
        }
        return new CurvesReport(e.id(), dataset, selection, curves);
    }

    /** A model's chosen configuration on the dataset and the ids of the runs behind its curve. */
    private record Chosen(String model, Integer trial, List<String> runs) {
    }

    private static Chosen choose(ReadModel.CellOutcomes c, Selection selection) {
        List<Curves.Finished> finished = new ArrayList<>();
        for (Results.Outcome o : c.outcomes()) {
            Double objective = selection.epoch() == Selection.EpochRule.last ? o.last() : o.best();
            finished.add(new Curves.Finished(o.pos(), o.trial(), o.replicate(), o.status(), objective));
        }
        Curves.Choice choice = Curves.choose(c.model(), c.dataset(), finished, selection.objective().maximize());
        return new Chosen(c.model(), choice.trial(), choice.positions().stream().map(c::runId).toList());
    }

    /** A run's values of the shown metric by epoch (one range of the metrics' {@code _id} index). */
    private static Map<Long, Double> values(ReadModel read, String run, Selection.Metric shown) {
        Map<Long, Double> byEpoch = new TreeMap<>();
        for (Epochs.Epoch ep : read.epochs(run)) {
            Double v = ep.value(shown.phase(), shown.name());
            if (v != null) {
                byEpoch.put(ep.epoch(), v);
            }
        }
        return byEpoch;
    }

    /** A --metric that none of the chosen runs logged is most likely a typo: say which they did log. */
    private static void checkLogged(ReadModel read, Selection.Metric shown, List<String> runs) {
        if (runs.isEmpty()) {
            return;
        }
        SortedSet<String> logged = read.logged(runs);
        if (!logged.contains(shown.toString())) {
            String near = Suggestions.closest(shown.toString(), logged);
            throw TrackerException.usage("none of the chosen runs logged " + shown + (near == null ? "" : " (did you mean '" + near + "'?)"),
                    "they logged: " + String.join(", ", logged));
        }
    }

    /** --dataset, checked; else the experiment's only dataset. */
    private static String dataset(ExperimentRecord e, String option) {
        if (option == null) {
            if (e.datasets().size() == 1) {
                return e.datasets().get(0);
            }
            throw TrackerException.usage("--view curves plots one dataset, and " + e.id() + " has " + e.datasets().size()
                    + ": " + String.join(", ", e.datasets()), "give --dataset, e.g. --dataset " + e.datasets().get(0));
        }
        if (!e.datasets().contains(option)) {
            String near = Suggestions.closest(option, e.datasets());
            throw TrackerException.usage("no dataset '" + option + "' in " + e.id()
                    + (near == null ? "" : " (did you mean '" + near + "'?)"), "its datasets: " + String.join(", ", e.datasets()));
        }
        return option;
    }

    /** The dataset's cells of the --model models (all when none is given), in the definition's order. */
    private static List<ReadModel.CellOutcomes> cells(ExperimentRecord e, String dataset, List<ReadModel.CellOutcomes> onDataset,
                                                      List<String> models) {
        List<String> there = onDataset.stream().map(ReadModel.CellOutcomes::model).toList();
        for (String m : models) {
            if (!e.models().contains(m)) {
                String near = Suggestions.closest(m, e.models());
                throw TrackerException.usage("no model '" + m + "' in " + e.id() + (near == null ? "" : " (did you mean '" + near + "'?)"),
                        "its models: " + String.join(", ", e.models()));
            }
            if (!there.contains(m)) {
                throw TrackerException.usage("model '" + m + "' does not run on " + dataset,
                        "the models on " + dataset + ": " + String.join(", ", there));
            }
        }
        return onDataset.stream().filter(c -> models.isEmpty() || models.contains(c.model())).toList();
    }
}
