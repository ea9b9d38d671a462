package tracker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.cli.options.SelectionOptions;
import tracker.json.JsonWriter;
import tracker.output.Delimited;
import tracker.remote.Query;
import tracker.remote.ServeClient;
import tracker.report.Selection;
import tracker.spec.DefinitionParser;
import tracker.export.MlflowExport;
import tracker.export.TensorBoardExport;
import tracker.store.Cells;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Export;
import tracker.store.RunRecord;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export an experiment for pandas, R or a spreadsheet, streaming (constant memory).",
                "-o csv (default), jsonl or json (one array): one row per run - ids, model, dataset, status, trial, replicate, seed, "
                        + "attempt, the objective's best and last, every parameter, per metric its last, min and max value, "
                        + "claim, start and end times (ISO-8601 UTC), duration, exit code, host and git commit; "
                        + "with --metric/--epoch also each run's chosen epoch and the metric there. "
                        + "--epochs: the long form instead, one row per run, epoch, phase and metric; "
                        + "--epochs --wide: one row per run and epoch, a column per metric, with the run's trial, replicate, seed "
                        + "and parameters; --steps: one row per run, step, phase and metric (with the step's epoch, if it has one). "
                        + "Columns: docs/report-formats.md. "
                        + "-o tensorboard DIR: an event file per run in DIR/MODEL/DATASET/N (tensorboard --logdir DIR): every "
                        + "phase/metric per epoch and per step, the parameters as hparams; -o mlflow DIR: an MLflow file store "
                        + "(mlflow ui --backend-store-uri DIR) with the experiment, its runs, parameters, tags and metric histories. "
                        + "Both are incremental: exporting again writes only the runs that changed.",
                ""})
public final class ExportCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.csv, Format.jsonl, Format.json, Format.tensorboard, Format.mlflow);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    String experiment;

    @Option(names = "--epochs", description = "One row per run, epoch, phase and metric (columns run,model,dataset,epoch,phase,metric,value).")
    boolean epochs;

    @Option(names = "--wide", description = "With --epochs: one row per run and epoch, a column per PHASE.METRIC, joined with the run's "
            + "model, dataset, trial, replicate, seed and param.NAME columns (a tidy frame for pandas.read_csv).")
    boolean wide;

    @Option(names = "--steps", description = "One row per run, step, phase and metric (columns run,model,dataset,step,epoch,phase,metric,value).")
    boolean steps;

    @Mixin
    SelectionOptions selection;

    @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "DIR",
            description = "With -o tensorboard or -o mlflow: the directory to write to (made if missing; written again, it gets only what changed).")
    java.nio.file.Path dir;

    /** Through tracker serve: the same rows, made by the server. */
    @Override
    protected ExitCode run(ServeClient serve, Cli cli) {
        Format format = output.choose(FORMATS);
        check(format);
        if (toDirectory(format)) {
            throw TrackerException.usage("-o " + format + " writes files from the database: through tracker serve it is not available",
                    "run it where the database is reachable, or export -o jsonl --epochs through the server");
        }
        Query q = Query.of().flag("epochs", epochs).flag("wide", wide).flag("steps", steps).add("metric", selection.metric)
                .add("epoch", selection.epoch == null ? null : selection.epoch.name()).add("format", format.name());
        cli.out().print(serve.get("experiments/" + Query.segment(experiment) + "/export", q).body());
        cli.out().flush();
        return ExitCode.OK;
    }

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        check(format);
        ExperimentRecord e = new Experiments(db).resolve(experiment);
        Export export = new Export(db);
        Map<String, Integer> sizes = Cells.sizes(new Cells(db).inDefinitionOrder(e));
        if (toDirectory(format)) {
            if (cli.hosted() != null) { // the server's files are not a client's to write
                throw TrackerException.usage("-o " + format + " writes files where the command runs, not through tracker serve", null);
            }
            toDirectory(format, e, export, sizes, cli);
            return ExitCode.OK;
        }
        Rows rows = new Rows(cli.out(), format);
        if (steps) {
            longForm(export, e, sizes, rows, true);
        } else if (epochs && wide) {
            wide(export, e, sizes, rows);
        } else if (epochs) {
            longForm(export, e, sizes, rows, false);
        } else {
            runs(export, e, sizes, rows);
        }
        rows.end();
        return ExitCode.OK;
    }

    private static boolean toDirectory(Format format) {
        return format == Format.tensorboard || format == Format.mlflow;
    }

    /** Every run with its whole history, written as TensorBoard event files or an MLflow file store. */
    private void toDirectory(Format format, ExperimentRecord e, Export export, Map<String, Integer> sizes, Cli cli) {
        long[] counts;
        if (format == Format.tensorboard) {
            TensorBoardExport tb = new TensorBoardExport(dir);
            export.historiesOf(sizes, tb::add);
            counts = new long[]{tb.outcome().written(), tb.outcome().unchanged(), tb.outcome().skipped()};
        } else {
            String description = DefinitionParser.parse(e.definitionYaml(), e.id() + " (stored)").description();
            MlflowExport ml = new MlflowExport(dir, e, description);
            export.historiesOf(sizes, ml::add);
            counts = new long[]{ml.outcome().written(), ml.outcome().unchanged(), ml.outcome().skipped()};
        }
        cli.note("exported " + tracker.util.Plurals.count(counts[0] + counts[1], "run") + " of " + e.id() + " to " + dir + ": "
                + counts[0] + " written, " + counts[1] + " unchanged"
                + (counts[2] > 0 ? " (" + tracker.util.Plurals.count(counts[2], "run") + " not started yet left out)" : ""));
    }

    /** Options that do not go together are a usage error, not silently ignored. */
    private void check(Format format) {
        if (toDirectory(format) && dir == null) {
            throw TrackerException.usage("-o " + format + " writes a directory: give it", "tracker export -e NAME -o " + format + " DIR");
        }
        if (!toDirectory(format) && dir != null) {
            throw TrackerException.usage("-o " + format + " goes to standard output; DIR is for -o tensorboard and -o mlflow",
                    "redirect it: tracker export -e NAME -o " + format + " > " + dir);
        }
        if (toDirectory(format) && (epochs || steps || wide || selection.given())) {
            throw TrackerException.usage("-o " + format + " exports every epoch and step of every run; --epochs, --wide, --steps, "
                    + "--metric and --epoch shape the other formats", "leave them out");
        }
        if (epochs && steps) {
            throw TrackerException.usage("--epochs and --steps are two exports", "give one of them");
        }
        if (wide && !epochs) {
            throw TrackerException.usage("--wide is a form of --epochs", "give --epochs --wide");
        }
        if (selection.given() && (epochs || steps)) {
            throw TrackerException.usage("--metric and --epoch choose a value per run; --epochs and --steps export every value",
                    "give them without --epochs and --steps");
        }
    }

    /** One row per run: its record, with the chosen epoch and the shown value there when --metric/--epoch are given. */
    private void runs(Export export, ExperimentRecord e, Map<String, Integer> sizes, Rows rows) {
        List<String> params = paramNames(e);
        boolean nested = rows.json(); // JSON rows keep params and metrics as objects
        Selection chosen = selection.given() ? Chosen.selection(selection, e) : null;
        boolean checked = chosen != null && Chosen.needsEpochs(chosen);
        TreeSet<String> metrics = nested && !checked ? new TreeSet<>() : export.metricNames(sizes);
        if (checked) {
            Chosen.checkLogged(chosen, metrics);
        }
        RunColumns columns = new RunColumns(params, nested ? List.of() : List.copyOf(metrics), chosen);
        rows.header(columns.names());
        if (chosen == null) {
            export.runsOf(sizes, true, r -> add(rows, columns, r, null));
        } else {
            export.runsAt(sizes, true, r -> Chosen.epochToRead(chosen, r), (r, at) -> add(rows, columns, r, Chosen.of(chosen, r, at)));
        }
    }

    private static void add(Rows rows, RunColumns columns, RunRecord r, Chosen chosen) {
        if (rows.json()) {
            rows.add(columns.json(r, chosen));
        } else {
            rows.add(columns.values(r, chosen));
        }
    }

    /** One row per run and epoch, a column per metric, joined with the run's trial, replicate, seed and parameters. */
    private void wide(Export export, ExperimentRecord e, Map<String, Integer> sizes, Rows rows) {
        List<String> params = paramNames(e);
        List<String> metrics = List.copyOf(export.metricNames(sizes));
        List<String> header = new ArrayList<>(List.of("run", "model", "dataset", "trial", "replicate", "seed", "epoch"));
        params.forEach(p -> header.add("param." + p));
        header.addAll(metrics);
        rows.header(header);
        export.epochsWithRunsOf(sizes, (r, epoch) -> {
            List<Object> row = new ArrayList<>(Arrays.asList(r.id(), r.model(), r.dataset(), r.trial(), r.replicate(), r.seed(),
                    epoch.epoch()));
            params.forEach(p -> row.add(r.params().get(p)));
            for (String m : metrics) {
                int dot = m.indexOf('.');
                row.add(epoch.value(m.substring(0, dot), m.substring(dot + 1)));
            }
            rows.add(row);
        });
    }

    /** One row per run, epoch (or step), phase and metric. */
    private static void longForm(Export export, ExperimentRecord e, Map<String, Integer> sizes, Rows rows, boolean bySteps) {
        int cut = e.id().length() + 1;
        if (bySteps) {
            rows.header(List.of("run", "model", "dataset", "step", "epoch", "phase", "metric", "value"));
            export.stepsOf(sizes, (run, step) -> {
                String[] md = run.substring(cut).split("/");
                step.values().forEach((phase, values) -> values.forEach((metric, value) ->
                        rows.add(List.of(run, md[0], md[1], step.step(), nullable(step.epoch()), phase, metric, nullable(value)))));
            });
        } else {
            rows.header(List.of("run", "model", "dataset", "epoch", "phase", "metric", "value"));
            export.epochsOf(sizes, (run, epoch) -> {
                String[] md = run.substring(cut).split("/");
                epoch.values().forEach((phase, values) -> values.forEach((metric, value) ->
                        rows.add(List.of(run, md[0], md[1], epoch.epoch(), phase, metric, nullable(value)))));
            });
        }
    }

    /** List.of takes no null: a missing value travels as {@link Rows#NONE}. */
    private static Object nullable(Object v) {
        return v == null ? Rows.NONE : v;
    }

    private static List<String> paramNames(ExperimentRecord e) {
        TreeSet<String> names = new TreeSet<>();
        DefinitionParser.parse(e.definitionYaml(), e.id() + " (stored)").models().values().forEach(m -> names.addAll(m.params().keySet()));
        return List.copyOf(names);
    }

    /**
     * Rows as they are read: CSV lines under a header, JSON objects one a line (jsonl), or the same
     * objects inside one array (json), so that -o json streams in constant memory too.
     */
    static final class Rows {
        /** A missing value in a row made with List.of. */
        static final Object NONE = new Object();

        private final PrintWriter out;
        private final Format format;
        private final Delimited csv;
        private List<String> header;
        private long written;

        Rows(PrintWriter out, Format format) {
            this.out = out;
            this.format = format;
            this.csv = new Delimited(out, ',');
        }

        boolean json() {
            return format != Format.csv;
        }

        void header(List<String> names) {
            header = names;
            if (!json()) {
                csv.row(names);
            }
        }

        /** A row of values in the header's order. */
        void add(List<Object> values) {
            List<Object> plain = values.stream().map(v -> v == NONE ? null : v).toList();
            if (!json()) {
                csv.row(plain);
                return;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), plain.get(i));
            }
            add(row);
        }

        /** A row as a JSON object (JSON formats only). */
        void add(Map<String, Object> row) {
            if (format == Format.json) {
                out.print(written == 0 ? "[\n" : ",\n");
            }
            out.print(JsonWriter.write(row));
            if (format != Format.json) {
                out.println();
            }
            written++;
        }

        /** Closes the array (an empty one when there were no rows); nothing for csv and jsonl. */
        void end() {
            if (format == Format.json) {
                out.println(written == 0 ? "[]" : "\n]");
            }
            out.flush();
        }
    }
}
