package tracker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.TreeSet;


import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.RunStatus;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.SelectionOptions;
import tracker.json.Json;
import tracker.json.JsonWriter;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.output.Screen;
import tracker.output.TerminalPlot;
import tracker.report.CurvesReport;
import tracker.report.Leaderboard;
import tracker.report.LeaderboardReport;
import tracker.report.OverallLeaderboard;
import tracker.report.OverallLeaderboardReport;
import tracker.report.Matrix;
import tracker.report.MatrixReport;
import tracker.report.Progress;
import tracker.report.ProgressReport;
import tracker.report.Report;
import tracker.report.RunQuery;
import tracker.report.RunRow;
import tracker.report.RunsReport;
import tracker.report.Selection;
import tracker.report.SignificanceReport;
import tracker.report.stats.Comparison;
import tracker.spec.DefinitionParser;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Export;
import tracker.store.ReadModel;
import tracker.store.Results;
import tracker.store.RunRecord;
import tracker.util.Durations;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The model x dataset picture of an experiment: in each cell, the configuration with the best mean "
                + "objective over its replicates, each run at its best epoch, shown as mean ± std (--metric test.acc shows "
                + "another metric of the same runs and epochs: select on validation, report on test). * marks the best "
                + "model per dataset, ~ those not significantly worse (Welch's t-test over replicates); average ranks over "
                + "the datasets every model has, wins, and the Friedman test's verdict. A cell shows done/planned runs while incomplete.",
                "Other views: whether the models differ (critical-difference diagram, Wilcoxon-Holm), progress per cell, the "
                + "leaderboard of configurations, a table of runs, learning curves of the models on one dataset (--view curves --dataset D, also -o svg); "
                + "-e A -e B puts experiments side by side, --diff subtracts "
                + "them; --watch redraws a view live.",
                "Formats (json, csv, tsv, markdown, latex, svg) are described in docs/report-formats.md; the statistics in docs/statistics.md.",
                "-o latex: the matrix, --diff or the per-cell leaderboard as a booktabs table for a paper, its caption "
                        + "stating the selection, the marks and the tests.",
                ""})
public final class ReportCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.table, Format.json, Format.csv, Format.tsv, Format.markdown, Format.latex,
            Format.svg);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config "
                    + "file's experiment). matrix: repeat to put several experiments (or versions) side by side, rows named "
                    + "EXPERIMENT:MODEL, on the datasets they share.")
    List<String> experiments = new ArrayList<>();

    @Mixin
    SelectionOptions selection;

    enum View { matrix, significance, progress, leaderboard, runs, curves }

    @Option(names = "--view", paramLabel = "VIEW", defaultValue = "matrix",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}): the model x dataset matrix; whether the "
                    + "models differ across datasets (Friedman, Nemenyi critical-difference diagram, Wilcoxon-Holm); runs by "
                    + "status per cell with bars and the time left; the best configurations with their parameters; "
                    + "a table of runs; learning curves on one dataset (-o svg draws them for a paper).")
    View view;

    @Option(names = "--diff",
            description = "matrix: with two experiments (-e A -e B), each cell is B's value minus A's, for the models and "
                    + "datasets both have, marked where Welch's t-test over their replicates finds them different.")
    boolean diff;

    // --- curves -------------------------------------------------------------------------------
    @Option(names = "--dataset", paramLabel = "DATASET",
            description = "curves: the dataset whose curves to plot (default: the experiment's only dataset).")
    String dataset;

    @Option(names = "--model", paramLabel = "MODEL", split = ",",
            description = "curves: only these models (repeat, or separate with commas; default: every model on the dataset).")
    List<String> models = new ArrayList<>();
    // -------------------------------------------------------------------------------------------

    @Option(names = "--agg", paramLabel = "HOW", defaultValue = "best",
            description = "matrix: how a cell combines its configurations: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Matrix.Agg agg;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.05",
            description = "matrix, significance, diff: the level of the tests (default: ${DEFAULT-VALUE}): a model is marked as "
                    + "tied with the best of a dataset when Welch's t-test over replicates gives p >= A; Nemenyi, Holm and Friedman "
                    + "likewise. See docs/statistics.md.")
    double alpha;

    @Option(names = "--all-pairs",
            description = "significance: compare every pair of models (Wilcoxon signed-rank, Holm-corrected), not only each "
                    + "against the best-ranked one.")
    boolean allPairs;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5",
            description = "leaderboard: how many configurations (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--per-cell", description = "leaderboard: the top configurations of every model x dataset cell (the default).")
    boolean perCell;

    @Option(names = "--overall", description = "leaderboard: the top configurations (model, trial) of the whole experiment: "
            + "ranked within each dataset, then by most datasets and lowest mean rank (scores of different datasets are not compared).")
    boolean overall;

    @Option(names = "--where", paramLabel = "EXPR",
            description = "runs: only runs where FIELD OP VALUE holds (repeat: all must hold), e.g. model=mlp, status=failed, "
                    + "params.lr<0.01; OP: = != < <= > >= (numbers), = != (text). Fields: run, model, dataset, trial, replicate, "
                    + "seed, status, attempt, objective, final, epochs, duration, chosen_epoch and shown (the run's epoch and "
                    + "value that --epoch and --metric choose; by default its best epoch and objective), params.NAME.")
    List<String> where = new ArrayList<>();

    @Option(names = "--sort", paramLabel = "FIELD", parameterConsumer = Verbatim.class,
            description = "runs: order by FIELD, -FIELD for descending (e.g. -objective).")
    String sort;

    /** Takes the next argument as it is: {@code --sort -objective} must not read as the options {@code -o bjective}. */
    static final class Verbatim implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (args.isEmpty()) {
                throw new ParameterException(commandSpec.commandLine(), "Missing required parameter for option '"
                        + ((OptionSpec) argSpec).longestName() + "' (" + argSpec.paramLabel() + ")");
            }
            argSpec.setValue(args.pop());
        }
    }

    @Option(names = "--limit", paramLabel = "N", description = "runs: at most N runs (the first N in --sort order).")
    Integer limit;

    @Option(names = "--offset", paramLabel = "N", description = "runs: skip the first N (in --sort order), for pages: --offset 50 --limit 50.")
    Integer offset;

    @Option(names = "--width", paramLabel = "N",
            description = "table: lay out for N columns (default: the terminal's width, else $COLUMNS, else 80).")
    Integer width;

    @Option(names = "--watch", paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "2s",
            description = "Redraw every INTERVAL (default 2s) until interrupted; stops by itself once nothing is pending or "
                    + "running. matrix, progress and leaderboard, as tables.")
    String watch;

    private Tty.Width terminalWidth;
    private boolean settled;

    @Override
    public Integer call() throws Exception {
        Format format = output.choose(FORMATS);
        check();
        if (format == Format.table) {
            terminalWidth = Tty.width(width, Cli.of(spec).env()); // asked while the database is opened and read
        }
        return super.call();
    }

    @Override
    protected ExitCode run(Database db, Cli cli) throws InterruptedException {
        Format format = output.choose(FORMATS);
        if (view == View.curves) {
            return curves(db, cli, format);
        }
        if (watch != null) {
            Watch.system(interval(), cli.env()).run(cli.out(), "tracker report -e " + String.join(" -e ", experiments) + " --view " + view, () -> {
                StringWriter frame = new StringWriter();
                PrintWriter out = new PrintWriter(frame);
                Report report = report(db);
                int columns = Tty.width(width, cli.env()).get(); // asked each frame: the terminal may have been resized
                report.table(out, new Screen(columns, Tty.painter(output.noColor, cli.env())));
                out.flush();
                return new Watch.Frame(frame.toString(), settled, columns);
            });
            return ExitCode.OK;
        }
        Report report = report(db);
        switch (format) {
            case json -> cli.out().println(JsonWriter.write(report.json()));
            case csv -> report.delimited(cli.out(), ',');
            case tsv -> report.delimited(cli.out(), '\t');
            case markdown -> report.markdown(cli.out());
            case latex -> {
                if (!(report instanceof Report.Latex latex)) {
                    throw TrackerException.usage("--view " + view + (overall ? " --overall" : "") + " has no -o latex",
                            "-o latex prints the matrix (and --diff) and the per-cell leaderboard");
                }
                latex.latex(cli.out());
            }
            case svg -> {
                if (!(report instanceof Report.Svg svg)) {
                    throw TrackerException.usage("--view " + view + (diff ? " --diff" : "") + " has no -o svg",
                            "-o svg draws the matrix (a heatmap), the significance view (the critical-difference diagram) and "
                                    + "--view curves (learning curves)");
                }
                if (report instanceof SignificanceReport sig && sig.untestable() != null) {
                    throw TrackerException.usage("no critical-difference diagram: " + sig.untestable(), null);
                }
                svg.svg(cli.out());
            }
            default -> report.table(cli.out(), new Screen(terminalWidth.get(), Tty.painter(output.noColor, cli.env())));
        }
        cli.out().flush();
        return ExitCode.OK;
    }

    /**
     * Through tracker serve: the same report, made by the server in the format asked for (a table
     * laid out for this terminal's width); --watch asks again every interval, and stops once the
     * experiments' status says nothing is pending or running.
     */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) throws InterruptedException {
        Format format = output.choose(FORMATS);
        String path = "experiments/" + Query.segment(experiments.get(0)) + "/report";
        if (watch != null) {
            Watch.system(interval(), cli.env()).run(cli.out(), "tracker report -e " + String.join(" -e ", experiments) + " --view " + view, () -> {
                int columns = Tty.width(width, cli.env()).get();
                String frame = serve.get(path, query(format, columns)).body();
                boolean settledNow = true;
                for (String e : experiments) {
                    Map<String, Object> status = Json.parseObject(serve.get("experiments/" + Query.segment(e) + "/status", Query.of()).body());
                    Map<?, ?> counts = (Map<?, ?>) status.get("counts");
                    settledNow &= ((Number) counts.get("pending")).longValue() == 0 && ((Number) counts.get("running")).longValue() == 0;
                }
                return new Watch.Frame(frame, settledNow, columns);
            });
            return ExitCode.OK;
        }
        cli.out().print(serve.get(path, query(format, format == Format.table ? terminalWidth.get() : null)).body());
        cli.out().flush();
        return ExitCode.OK;
    }

    /** The report endpoint's parameters: these options, as the server passes them back to this command. */
    private Query query(Format format, Integer columns) {
        Query q = Query.of().addAll("with", experiments.subList(1, experiments.size())).add("view", view.name())
                .add("metric", selection.metric).add("epoch", selection.epoch == null ? null : selection.epoch.name())
                .add("agg", agg == Matrix.Agg.best ? null : agg.name()).add("alpha", alpha == 0.05 ? null : alpha)
                .add("top", top == 5 ? null : top).addAll("model", models).add("dataset", dataset).addAll("where", where)
                .add("sort", sort).add("limit", limit).add("offset", offset).add("width", columns)
                .flag("diff", diff).flag("all_pairs", allPairs).flag("per_cell", perCell).flag("overall", overall);
        return q.add("format", format.name());
    }

    /**
     * --view curves: the chosen configurations' learning curves on one dataset, plotted for the
     * terminal's width (ASCII where it cannot show more), as SVG, or as the plotted numbers.
     */
    private ExitCode curves(Database db, Cli cli, Format format) {
        ReadModel read = new ReadModel(db);
        ExperimentRecord e = read.experiment(experiments.get(0));
        CurvesReport report = CurvesView.report(read, e, selection.selection(objective(e)), dataset, models);
        switch (format) {
            case json -> cli.out().println(JsonWriter.write(report.json()));
            case csv -> report.delimited(cli.out(), ',');
            case tsv -> report.delimited(cli.out(), '\t');
            case markdown -> report.markdown(cli.out());
            case svg -> report.svg(cli.out());
            case latex -> throw TrackerException.usage("--view curves has no -o latex", "-o svg draws the curves for a paper");
            default -> report.plot(cli.out(), new Screen(terminalWidth.get(), Tty.painter(output.noColor, cli.env())),
                    Tty.unicode(cli.env()) ? TerminalPlot.Glyphs.UNICODE : TerminalPlot.Glyphs.ASCII);
        }
        cli.out().flush();
        return ExitCode.OK;
    }

    private Duration interval() {
        Duration d = Durations.parseOrNull(watch);
        if (d == null || d.isZero() || d.isNegative()) {
            throw TrackerException.usage("--watch takes an interval like 2s, 500ms or 1m, not '" + watch + "'", null);
        }
        return d;
    }

    /** Options that belong to another view are a usage error, not silently ignored. */
    private void check() {
        if (watch != null) {
            interval();
            if (view == View.runs || view == View.curves || (output.format != null && output.format != Format.table)) {
                throw TrackerException.usage("--watch redraws tables of the matrix, progress and leaderboard views",
                        "give --watch with -o table (the default) and --view matrix, progress or leaderboard");
            }
        }
        if (perCell && overall) {
            throw TrackerException.usage("--per-cell and --overall exclude each other", "give one of them");
        }
        if (view != View.leaderboard && (perCell || overall || top != 5)) {
            throw TrackerException.usage("--top, --per-cell and --overall go with --view leaderboard", null);
        }
        if (view != View.runs && (!where.isEmpty() || sort != null || limit != null || offset != null)) {
            throw TrackerException.usage("--where, --sort, --limit and --offset go with --view runs", null);
        }
        if (view != View.curves && (dataset != null || !models.isEmpty())) {
            throw TrackerException.usage("--dataset and --model go with --view curves", null);
        }
        if (limit != null && limit < 1) {
            throw TrackerException.usage("--limit must be 1 or more, not " + limit, null);
        }
        if (offset != null && offset < 0) {
            throw TrackerException.usage("--offset must be 0 or more, not " + offset, null);
        }
        if (width != null && width < 20) {
            throw TrackerException.usage("--width must be 20 or more, not " + width, null);
        }
        if (experiments.size() > 1 && view != View.matrix && view != View.significance) {
            throw TrackerException.usage("several experiments go side by side in the matrix and significance views only",
                    "give one -e with --view " + view);
        }
        if (diff && (view != View.matrix || experiments.size() != 2)) {
            throw TrackerException.usage("--diff compares two experiments cell by cell", "give --diff with -e A -e B (and --view matrix)");
        }
        if (selection.given() && view == View.progress) {
            throw TrackerException.usage("--metric and --epoch choose what a cell shows; the progress view counts runs", null);
        }
        if (selection.metric != null && view == View.matrix && (agg == Matrix.Agg.mean || agg == Matrix.Agg.median)) {
            throw TrackerException.usage("--agg " + agg + " summarizes every configuration by the objective; --metric shows the "
                    + "chosen configuration's runs", "use --agg best (the default) or last with --metric");
        }
        if (!(alpha > 0 && alpha < 0.5)) {
            throw TrackerException.usage("--alpha is a test level between 0 and 0.5 (0.05 is usual), not " + alpha, null);
        }
        if (top < 1) {
            throw TrackerException.usage("--top must be 1 or more, not " + top, null);
        }
    }

    private Report report(Database db) {
        ReadModel read = new ReadModel(db);
        if (diff || view == View.matrix || view == View.significance) {
            MatrixView matrices = new MatrixView(read, selection, agg, alpha,
                    allPairs ? Comparison.Family.ALL_PAIRS : Comparison.Family.AGAINST_BEST);
            List<ExperimentRecord> es = matrices.experiments(experiments);
            Report report;
            if (diff) {
                report = matrices.diff(es.get(0), es.get(1));
            } else {
                MatrixReport m = matrices.matrix(es);
                report = view == View.matrix ? m : new SignificanceReport(m.experiment(), m.selection(), m.result());
            }
            settled = matrices.settled();
            return report;
        }
        ExperimentRecord e = read.experiment(experiments.get(0));
        List<ReadModel.CellOutcomes> cells = read.cells(e);
        settled = cells.stream().allMatch(ReadModel.CellOutcomes::settled);
        String objective = objective(e).toString();
        boolean maximize = objective(e).maximize();
        return switch (view) {
            case progress -> progress(e, cells);
            case leaderboard -> leaderboard(read, e, objective, maximize, cells);
            default -> runs(db, e, objective, cells);
        };
    }

    /** The experiment's objective as the report's selection rule knows it (also for {@code show RUN -o svg}). */
    static Selection.Objective objective(ExperimentRecord e) {
        return new Selection.Objective(String.valueOf(e.objective().get("phase")), String.valueOf(e.objective().get("metric")),
                "maximize".equals(e.objective().get("goal")));
    }

    private static ProgressReport progress(ExperimentRecord e, List<ReadModel.CellOutcomes> cells) {
        List<Progress.CellInput> inputs = new ArrayList<>();
        for (ReadModel.CellOutcomes c : cells) {
            List<String> statuses = new ArrayList<>();
            List<Long> durations = new ArrayList<>();
            for (Results.Outcome o : c.outcomes()) {
                statuses.add(o.status());
                if (o.millis() != null && "completed".equals(o.status())) {
                    durations.add(o.millis());
                }
            }
            inputs.add(new Progress.CellInput(c.model(), c.dataset(), c.size(), c.running(), statuses, durations));
        }
        return new ProgressReport(e.id(), Progress.compute(inputs));
    }

    private Report leaderboard(ReadModel read, ExperimentRecord e, String objective, boolean maximize, List<ReadModel.CellOutcomes> cells) {
        Selection sel = selection.selection(objective(e));
        boolean lastEpoch = sel.epoch() == Selection.EpochRule.last;
        List<Leaderboard.CellInput> inputs = new ArrayList<>();
        Map<String, ReadModel.CellOutcomes> byCell = new LinkedHashMap<>();
        for (ReadModel.CellOutcomes c : cells) {
            byCell.put(c.model() + "/" + c.dataset(), c);
            List<Leaderboard.Outcome> os = new ArrayList<>();
            for (Results.Outcome o : c.outcomes()) {
                os.add(new Leaderboard.Outcome(o.pos(), o.trial(), o.replicate(), o.status(), lastEpoch ? o.last() : o.best()));
            }
            inputs.add(new Leaderboard.CellInput(c.model(), c.dataset(), os));
        }
        if (overall) {
            OverallLeaderboard.Result result = OverallLeaderboard.compute(e.datasets(), inputs, maximize, top);
            List<String> ids = result.standings().stream().map(s -> byCell.get(s.model() + "/" + s.firstDataset()).runId(s.pos())).toList();
            Map<String, Map<String, Object>> params = read.params(ids); // a few runs, by _id
            List<OverallLeaderboardReport.Row> rows = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                OverallLeaderboard.Standing st = result.standings().get(i);
                rows.add(new OverallLeaderboardReport.Row(st, ids.get(i), params.getOrDefault(ids.get(i), Map.of()),
                        sel.showsObjective() ? Map.of() : shownOverall(read, sel, st, result.datasets(), byCell)));
            }
            return new OverallLeaderboardReport(e.id(), objective, sel.epoch(), top, result.datasets(), rows, paramNames(e));
        }
        List<Leaderboard.Entry> entries = Leaderboard.perCell(inputs, maximize, top);
        Map<Leaderboard.Entry, String> ids = new LinkedHashMap<>();
        for (Leaderboard.Entry en : entries) {
            ids.put(en, byCell.get(en.model() + "/" + en.dataset()).runId(en.pos()));
        }
        Map<String, Map<String, Object>> params = read.params(ids.values()); // a few runs, by _id
        Map<Leaderboard.Entry, LeaderboardReport.Shown> shown = sel.showsObjective() ? Map.of() : shown(read, sel, entries, byCell);
        List<LeaderboardReport.Row> rows = new ArrayList<>();
        ids.forEach((en, id) -> rows.add(new LeaderboardReport.Row(en, id, params.getOrDefault(id, Map.of()), shown.get(en))));
        return new LeaderboardReport(e.id(), objective, sel.epoch(), top, rows, paramNames(e));
    }

    /** The --metric of an overall configuration (model, trial) on each dataset: its completed replicates at their chosen epochs. */
    private static Map<String, LeaderboardReport.Shown> shownOverall(ReadModel read, Selection sel, OverallLeaderboard.Standing st,
                                                                   List<String> datasets, Map<String, ReadModel.CellOutcomes> byCell) {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        for (String d : datasets) {
            ReadModel.CellOutcomes cell = byCell.get(st.model() + "/" + d);
            if (cell != null) {
                runs.put(d, cell.completedRuns(st.trial()));
            }
        }
        return shown(read, sel, runs);
    }

    /** The --metric of each listed configuration's completed replicates, at their chosen epochs. */
    private static Map<Leaderboard.Entry, LeaderboardReport.Shown> shown(ReadModel read, Selection sel, List<Leaderboard.Entry> entries,
                                                                        Map<String, ReadModel.CellOutcomes> byCell) {
        Map<Leaderboard.Entry, List<String>> runs = new LinkedHashMap<>();
        for (Leaderboard.Entry en : entries) {
            runs.put(en, byCell.get(en.model() + "/" + en.dataset()).completedRuns(en.trial()));
        }
        return shown(read, sel, runs);
    }

    /** The --metric of each group of runs (a configuration's replicates), read at once. */
    private static <K> Map<K, LeaderboardReport.Shown> shown(ReadModel read, Selection sel, Map<K, List<String>> runs) {
        Map<String, Double> values = read.shown(runs.values().stream().flatMap(List::stream).toList(), sel.shown().phase(),
                sel.shown().name(), Chosen.rule(sel));
        Map<K, LeaderboardReport.Shown> out = new LinkedHashMap<>();
        runs.forEach((k, ids) -> out.put(k, LeaderboardReport.Shown.of(sel.shown().toString(), ids.stream().map(values::get).toList())));
        return out;
    }

    private static List<String> paramNames(ExperimentRecord e) {
        TreeSet<String> names = new TreeSet<>();
        DefinitionParser.parse(e.definitionYaml(), e.id() + " (stored)").models().values().forEach(m -> names.addAll(m.params().keySet()));
        return List.copyOf(names);
    }

    private RunsReport runs(Database db, ExperimentRecord e, String objective, List<ReadModel.CellOutcomes> cells) {
        List<String> params = paramNames(e);
        Selection chosen = selection.given() ? selection.selection(objective(e)) : null;
        RunQuery.Vocabulary vocabulary = new RunQuery.Vocabulary(e.models(), e.datasets(), RunStatus.ALL, params);
        RunsReport report;
        try {
            report = new RunsReport(e.id(), objective, where, RunQuery.where(where, vocabulary), sort,
                    sort == null ? null : RunQuery.sort(sort, vocabulary), offset == null ? 0 : offset, limit, params, chosen);
        } catch (IllegalArgumentException bad) {
            throw TrackerException.usage(bad.getMessage(), "see 'tracker report --help'");
        }
        // Only the cells that can match: a condition model=X or dataset=Y pins them.
        String model = RunQuery.pinned(where, "model");
        String dataset = RunQuery.pinned(where, "dataset");
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (ReadModel.CellOutcomes c : cells) {
            if ((model == null || model.equals(c.model())) && (dataset == null || dataset.equals(c.dataset()))) {
                sizes.put(c.id(), c.size());
            }
        }
        Export export = new Export(db);
        if (chosen == null) {
            // Without --metric/--epoch, chosen_epoch and shown (for --where and --sort) are the objective's best.
            Selection byObjective = Selection.byObjective(objective(e));
            export.runsOf(sizes, false, r -> report.accept(row(r, Chosen.of(byObjective, r, null))));
        } else {
            if (Chosen.needsEpochs(chosen)) {
                Chosen.checkLogged(chosen, export.metricNames(sizes));
            }
            export.runsAt(sizes, false, r -> Chosen.epochToRead(chosen, r), (r, at) -> report.accept(row(r, Chosen.of(chosen, r, at))));
        }
        return report;
    }

    /**
     * A run as the runs view shows it. A pruned run's objective is its last value: early stopping
     * judged it there, and its best so far is of a run that never finished (the matrix and the
     * leaderboard leave it out altogether).
     */
    static RunRow row(RunRecord r, Chosen chosen) {
        Double objective = RunStatus.PRUNED.equals(r.status()) ? r.objectiveLast() : r.objectiveBest();
        return new RunRow(r.id(), r.model(), r.dataset(), r.trial(), r.replicate(), r.seed(), r.status(), r.attempt(), r.params(),
                objective, r.objectiveLast(), r.lastEpoch(), r.durationSeconds(), chosen.epoch(), chosen.value());
    }
}
