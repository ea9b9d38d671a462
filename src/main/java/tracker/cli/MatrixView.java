package tracker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.TrackerException;
import tracker.cli.options.SelectionOptions;
import tracker.report.Diff;
import tracker.report.DiffReport;
import tracker.report.Matrix;
import tracker.report.MatrixReport;
import tracker.report.Selection;
import tracker.report.stats.Comparison;
import tracker.report.stats.ReplicateTies;
import tracker.report.stats.Welch;
import tracker.store.ExperimentRecord;
import tracker.store.ReadModel;
import tracker.store.Results;

/**
 * The matrix of {@code tracker report} (and its significance view and {@code --diff}): reads each
 * cell's outcomes, lets the objective choose each cell's configuration, reads what is shown of the
 * chosen runs when it is not the objective (their chosen epochs only), and computes the matrix.
 */
final class MatrixView {
    private final ReadModel read;
    private final SelectionOptions selection;
    private final Matrix.Agg agg;
    private final double alpha;
    private final Comparison.Family family;
    private boolean settled = true;

    MatrixView(ReadModel read, SelectionOptions selection, Matrix.Agg agg, double alpha, Comparison.Family family) {
        this.read = read;
        this.selection = selection;
        this.agg = agg;
        this.alpha = alpha;
        this.family = family;
    }

    /** Whether nothing was pending or running in the cells last read (--watch stops then). */
    boolean settled() {
        return settled;
    }

    /**
     * The matrix of one experiment, or of several side by side (rows EXPERIMENT:MODEL, on the
     * datasets all of them have): each cell's configuration chosen by the objective, showing the
     * objective or --metric at each run's chosen epoch.
     */
    MatrixReport matrix(List<ExperimentRecord> es) {
        return matrix(es, true);
    }

    /** -e A -e B --diff: each experiment's matrix alone (models unprefixed), then B minus A cell by cell. */
    DiffReport diff(ExperimentRecord first, ExperimentRecord second) {
        MatrixReport a = matrix(List.of(first), false);
        boolean firstSettled = settled;
        MatrixReport b = matrix(List.of(second), false);
        settled &= firstSettled;
        Diff.Result d = Diff.compute(first.id(), a.result(), second.id(), b.result(), alpha, (x, y) -> x.size() < 2 || y.size() < 2
                || !x.stream().allMatch(Double::isFinite) || !y.stream().allMatch(Double::isFinite) ? null
                : Welch.test(x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray())
                        .pValue());
        return new DiffReport(a.selection(), d, ReplicateTies.METHOD);
    }

    /** The experiments of -e, each once, all chosen by one objective. */
    List<ExperimentRecord> experiments(List<String> refs) {
        List<ExperimentRecord> es = new ArrayList<>();
        for (String ref : refs) {
            ExperimentRecord e = read.experiment(ref);
            if (es.stream().anyMatch(x -> x.id().equals(e.id()))) {
                throw TrackerException.usage(ref + " is " + e.id() + ", given twice", "give each experiment once");
            }
            es.add(e);
        }
        Selection.Objective objective = ReportCommand.objective(es.get(0));
        for (ExperimentRecord e : es) {
            if (!ReportCommand.objective(e).equals(objective)) {
                throw TrackerException.usage(e.id() + " is chosen by " + ReportCommand.objective(e) + ", " + es.get(0).id() + " by " + objective
                        + ": their configurations are not chosen alike", "compare experiments that share their objective");
            }
        }
        return es;
    }

    /**
     * @param prefixModels with several experiments, name the rows EXPERIMENT:MODEL (side by side);
     *                     false for one experiment's own matrix
     */
    private MatrixReport matrix(List<ExperimentRecord> es, boolean prefixModels) {
        Selection.Objective objective = ReportCommand.objective(es.get(0));
        Selection sel = selection.selection(objective);
        Boolean higher = sel.higherIsBetter();
        if (higher == null) {
            throw TrackerException.usage("which way is " + sel.shown() + " better?",
                    "say it: --metric " + sel.shown() + ":max or --metric " + sel.shown() + ":min");
        }
        boolean several = prefixModels && es.size() > 1;
        boolean sameNames = es.stream().map(ExperimentRecord::name).distinct().count() < es.size();
        List<String> models = new ArrayList<>();
        List<String> datasets = new ArrayList<>(es.get(0).datasets());
        List<String> notShared = new ArrayList<>();
        for (ExperimentRecord e : es) {
            for (String d : datasets) {
                if (!e.datasets().contains(d) && !notShared.contains(d)) {
                    notShared.add(d);
                }
            }
            e.datasets().stream().filter(d -> !es.get(0).datasets().contains(d) && !notShared.contains(d)).forEach(notShared::add);
        }
        datasets.removeAll(notShared);
        List<Matrix.CellInput> inputs = new ArrayList<>();
        Map<String, List<String>> shownRuns = new LinkedHashMap<>(); // cell key -> the chosen trial's completed runs
        boolean allSettled = true;
        for (ExperimentRecord e : es) {
            String prefix = several ? (sameNames ? e.id() : e.name()) + ":" : "";
            e.models().forEach(m -> models.add(prefix + m));
            for (ReadModel.CellOutcomes c : read.cells(e)) {
                allSettled &= c.settled();
                if (!datasets.contains(c.dataset())) {
                    continue;
                }
                List<Matrix.Outcome> os = new ArrayList<>();
                for (Results.Outcome o : c.outcomes()) {
                    os.add(new Matrix.Outcome(o.trial(), o.replicate(), o.status(),
                            sel.epoch() == Selection.EpochRule.best ? o.best() : o.last()));
                }
                Matrix.CellInput in = new Matrix.CellInput(prefix + c.model(), c.dataset(), c.size(), os);
                inputs.add(in);
                Integer chosen = Matrix.chosenTrial(in, objective.maximize(), agg);
                if (chosen != null) {
                    shownRuns.put(prefix + c.model() + "/" + c.dataset(), c.completedRuns(chosen));
                }
            }
        }
        settled = allSettled;
        Map<String, List<Double>> shown = null;
        if (!sel.showsObjective()) {
            List<String> all = shownRuns.values().stream().flatMap(List::stream).toList();
            Map<String, Double> values = read.shown(all, sel.shown().phase(), sel.shown().name(),
                    Chosen.rule(sel));
            shown = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> cell : shownRuns.entrySet()) {
                shown.put(cell.getKey(), cell.getValue().stream().filter(values::containsKey).map(values::get).toList());
            }
        }
        String title = es.stream().map(ExperimentRecord::id).collect(java.util.stream.Collectors.joining(" vs "));
        return new MatrixReport(title, sel, Matrix.compute(models, datasets, inputs, objective.maximize(), agg, shown, higher, alpha, family),
                notShared, testHint(read, sel, shownRuns), alpha);
    }

    /**
     * When the matrix shows a validation figure and the chosen runs log the same metric on a test
     * phase, how to see that (the figure to publish): one run of each cell is enough to tell.
     */
    private static String testHint(ReadModel read, Selection sel, Map<String, List<String>> chosenRuns) {
        if (!sel.showsObjective() || sel.objective().phase().equals("test")) {
            return null;
        }
        List<String> oneEach = chosenRuns.values().stream().filter(ids -> !ids.isEmpty()).map(ids -> ids.get(0)).toList();
        String test = "test." + sel.objective().metric();
        return read.logged(oneEach).contains(test) ? "these are " + sel.objective().phase() + " figures, chosen on them; --metric "
                + test + " shows the test figure of the same configurations and epochs" : null;
    }
}
