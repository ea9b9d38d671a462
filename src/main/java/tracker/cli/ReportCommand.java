package tracker.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bson.Document;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.output.Screen;
import tracker.report.Leaderboard;
import tracker.report.LeaderboardReport;
import tracker.report.Matrix;
import tracker.report.MatrixReport;
import tracker.report.Progress;
import tracker.report.ProgressReport;
import tracker.report.Report;
import tracker.spec.DefinitionParser;
import tracker.store.Cells;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Results;
import tracker.store.Runs;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The model x dataset picture of an experiment: each cell is the objective of the cell's best "
                + "configuration, as mean ± std over its replicates; the best model per dataset is marked; average rank "
                + "and wins per model. A cell shows done/planned runs while incomplete.",
                "Other views: progress per cell, the leaderboard of configurations.",
                "Machine formats (json, csv, tsv, markdown) are described in docs/report-formats.md.",
                ""})
public final class ReportCommand extends ConnectedCommand {
    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME", description = "NAME or NAME@VERSION.")
    String experiment;

    enum View { matrix, progress, leaderboard }

    @Option(names = "--view", paramLabel = "VIEW", defaultValue = "matrix",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}): the model x dataset matrix; runs by "
                    + "status per cell with bars and the time left; the best configurations with their parameters.")
    View view;

    @Option(names = "--agg", paramLabel = "HOW", defaultValue = "best",
            description = "matrix: how a cell combines its configurations: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Matrix.Agg agg;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5",
            description = "leaderboard: how many configurations (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--per-cell", description = "leaderboard: the top configurations of every model x dataset cell (the default).")
    boolean perCell;

    @Option(names = "--overall", description = "leaderboard: the top configurations of the whole experiment.")
    boolean overall;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(Format.table, Format.table, Format.json, Format.csv, Format.tsv, Format.markdown);
        check();
        Report report = report(db);
        switch (format) {
            case json -> cli.out().println(JsonWriter.write(report.json()));
            case csv -> report.delimited(cli.out(), ',');
            case tsv -> report.delimited(cli.out(), '\t');
            case markdown -> report.markdown(cli.out());
            default -> report.table(cli.out(), Screen.PLAIN);
        }
        cli.out().flush();
        return ExitCode.OK;
    }

    /** Options that belong to another view are a usage error, not silently ignored. */
    private void check() {
        if (perCell && overall) {
            throw TrackerException.usage("--per-cell and --overall exclude each other", "give one of them");
        }
        if (view != View.leaderboard && (perCell || overall || top != 5)) {
            throw TrackerException.usage("--top, --per-cell and --overall go with --view leaderboard", null);
        }
        if (top < 1) {
            throw TrackerException.usage("--top must be 1 or more, not " + top, null);
        }
    }

    private Report report(Database db) {
        ExperimentRecord e = new Experiments(db).resolve(experiment);
        Map<String, List<Results.Outcome>> outcomes = new Results(db).of(e);
        List<Document> cells = new Cells(db).of(e);
        cells.sort(Comparator.comparing((Document c) -> e.models().indexOf(c.getString("model")))
                .thenComparing(c -> e.datasets().indexOf(c.getString("dataset"))));
        String objective = e.objective().get("phase") + "." + e.objective().get("metric") + " (" + e.objective().get("goal") + ")";
        boolean maximize = "maximize".equals(e.objective().get("goal"));
        return switch (view) {
            case progress -> progress(e, cells, outcomes);
            case leaderboard -> leaderboard(db, e, objective, maximize, cells, outcomes);
            default -> matrix(e, objective, maximize, cells, outcomes);
        };
    }

    private MatrixReport matrix(ExperimentRecord e, String objective, boolean maximize, List<Document> cells,
                                Map<String, List<Results.Outcome>> outcomes) {
        List<Matrix.CellInput> inputs = new ArrayList<>();
        for (Document c : cells) {
            List<Matrix.Outcome> os = new ArrayList<>();
            for (Results.Outcome o : outcomes.getOrDefault(c.getString("_id"), List.of())) {
                os.add(new Matrix.Outcome(o.trial(), o.replicate(), o.status(), o.best()));
            }
            inputs.add(new Matrix.CellInput(c.getString("model"), c.getString("dataset"), c.getInteger("size", 0), os));
        }
        return new MatrixReport(e.id(), objective, Matrix.compute(e.models(), e.datasets(), inputs, maximize, agg));
    }

    private static ProgressReport progress(ExperimentRecord e, List<Document> cells, Map<String, List<Results.Outcome>> outcomes) {
        List<Progress.CellInput> inputs = new ArrayList<>();
        for (Document c : cells) {
            List<String> statuses = new ArrayList<>();
            List<Long> durations = new ArrayList<>();
            for (Results.Outcome o : outcomes.getOrDefault(c.getString("_id"), List.of())) {
                statuses.add(o.status());
                if (o.millis() != null && "completed".equals(o.status())) {
                    durations.add(o.millis());
                }
            }
            Document running = c.get("running", Document.class);
            inputs.add(new Progress.CellInput(c.getString("model"), c.getString("dataset"), c.getInteger("size", 0),
                    running == null ? 0 : running.size(), statuses, durations));
        }
        return new ProgressReport(e.id(), Progress.compute(inputs));
    }

    private LeaderboardReport leaderboard(Database db, ExperimentRecord e, String objective, boolean maximize, List<Document> cells,
                                          Map<String, List<Results.Outcome>> outcomes) {
        List<Leaderboard.CellInput> inputs = new ArrayList<>();
        for (Document c : cells) {
            List<Leaderboard.Outcome> os = new ArrayList<>();
            for (Results.Outcome o : outcomes.getOrDefault(c.getString("_id"), List.of())) {
                os.add(new Leaderboard.Outcome(o.pos(), o.trial(), o.replicate(), o.status(), o.best()));
            }
            inputs.add(new Leaderboard.CellInput(c.getString("model"), c.getString("dataset"), os));
        }
        List<Leaderboard.Entry> entries = overall ? Leaderboard.overall(inputs, maximize, top) : Leaderboard.perCell(inputs, maximize, top);
        Map<Leaderboard.Entry, String> ids = new LinkedHashMap<>();
        for (Leaderboard.Entry en : entries) {
            ids.put(en, Runs.id(Runs.cellId(e.id(), en.model() + "/" + en.dataset()), en.pos()));
        }
        Map<String, Map<String, Object>> params = new Runs(db).params(ids.values()); // a few runs, by _id
        List<LeaderboardReport.Row> rows = new ArrayList<>();
        ids.forEach((en, id) -> rows.add(new LeaderboardReport.Row(en, id, params.getOrDefault(id, Map.of()))));
        TreeSet<String> names = new TreeSet<>();
        DefinitionParser.parse(e.definitionYaml(), e.id() + " (stored)").models().values().forEach(m -> names.addAll(m.params().keySet()));
        return new LeaderboardReport(e.id(), objective, !overall, top, rows, List.copyOf(names));
    }
}
