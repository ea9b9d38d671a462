package tracker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
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
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.store.Cells;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Export;
import tracker.util.FloatText;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export an experiment for pandas, R or a spreadsheet, streaming (constant memory).",
                "-o csv (default), jsonl or json (one array): one row per run - ids, model, dataset, status, trial, replicate, seed, attempt, "
                        + "every parameter, and per metric its last, min and max value, the objective's best. "
                        + "--epochs: the long form instead, one row per run, epoch, phase and metric; "
                        + "--steps: one row per run, step, phase and metric (with the step's epoch, if it has one).",
                ""})
public final class ExportCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.csv, Format.jsonl, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    String experiment;

    @Option(names = "--epochs", description = "One row per run, epoch, phase and metric.")
    boolean epochs;

    @Option(names = "--steps", description = "One row per run, step, phase and metric (columns run,model,dataset,step,epoch,phase,metric,value).")
    boolean steps;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        boolean jsonl = format != Format.csv; // json and jsonl: the same objects, as an array or one a line
        ExperimentRecord e = new Experiments(db).resolve(experiment);
        Export export = new Export(db);
        Map<String, Integer> sizes = Cells.sizes(new Cells(db).inDefinitionOrder(e));
        PrintWriter out = cli.out();
        JsonRows json = new JsonRows(out, format == Format.json);
        if (epochs && steps) {
            throw TrackerException.usage("--epochs and --steps are two exports", "give one of them");
        }
        if (steps) {
            if (!jsonl) {
                out.println("run,model,dataset,step,epoch,phase,metric,value");
            }
            export.stepsOf(sizes, (run, step) -> {
                String[] md = run.substring(e.id().length() + 1).split("/");
                step.values().forEach((phase, values) -> values.forEach((metric, value) -> {
                    if (jsonl) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("run", run);
                        row.put("model", md[0]);
                        row.put("dataset", md[1]);
                        row.put("step", step.step());
                        row.put("epoch", step.epoch());
                        row.put("phase", phase);
                        row.put("metric", metric);
                        row.put("value", value);
                        json.add(row);
                    } else {
                        out.println(String.join(",", csv(run), csv(md[0]), csv(md[1]), String.valueOf(step.step()),
                                step.epoch() == null ? "" : String.valueOf(step.epoch()), csv(phase), csv(metric), number(value)));
                    }
                }));
            });
            json.end();
            out.flush();
            return ExitCode.OK;
        }
        if (epochs) {
            if (!jsonl) {
                out.println("run,model,dataset,epoch,phase,metric,value");
            }
            export.epochsOf(sizes, (run, epoch) -> {
                String[] md = run.substring(e.id().length() + 1).split("/");
                epoch.values().forEach((phase, values) -> values.forEach((metric, value) -> {
                    if (jsonl) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("run", run);
                        row.put("model", md[0]);
                        row.put("dataset", md[1]);
                        row.put("epoch", epoch.epoch());
                        row.put("phase", phase);
                        row.put("metric", metric);
                        row.put("value", value);
                        json.add(row);
                    } else {
                        out.println(String.join(",", csv(run), csv(md[0]), csv(md[1]), String.valueOf(epoch.epoch()),
                                csv(phase), csv(metric), number(value)));
                    }
                }));
            });
            json.end();
            out.flush();
            return ExitCode.OK;
        }
        Definition def = DefinitionParser.parse(e.definitionYaml(), e.id() + " (stored)");
        TreeSet<String> params = new TreeSet<>();
        def.models().values().forEach(m -> params.addAll(m.params().keySet()));
        TreeSet<String> metrics = jsonl ? new TreeSet<>() : export.metricNames(sizes);
        List<String> header = new ArrayList<>(List.of("run", "experiment", "model", "dataset", "status", "trial", "replicate",
                "seed", "attempt", "worker", "objective_best", "objective_best_epoch", "objective_last", "epochs"));
        params.forEach(p -> header.add("param." + p));
        metrics.forEach(m -> {
            header.add(m + ".last");
            header.add(m + ".min");
            header.add(m + ".max");
        });
        if (!jsonl) {
            out.println(String.join(",", header.stream().map(ExportCommand::csv).toList()));
        }
        export.runsWithMetricsOf(sizes, r -> {
            Document summary = r.get("summary", Document.class);
            Document objective = summary == null ? null : summary.get("objective", Document.class);
            boolean ranked = objective != null && !Boolean.TRUE.equals(r.getBoolean("noObjective"));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", r.getString("_id"));
            row.put("experiment", r.getString("experiment"));
            row.put("model", r.getString("model"));
            row.put("dataset", r.getString("dataset"));
            row.put("status", r.getString("status"));
            row.put("trial", r.get("trial"));
            row.put("replicate", r.get("replicate"));
            row.put("seed", r.get("seed"));
            row.put("attempt", r.get("attempt"));
            row.put("worker", r.getString("worker"));
            row.put("objective_best", ranked ? objective.get("best") : null);
            row.put("objective_best_epoch", ranked ? objective.get("bestEpoch") : null);
            row.put("objective_last", objective == null ? null : objective.get("last"));
            row.put("epochs", summary == null || summary.get("lastEpoch") == null ? null : summary.get("lastEpoch"));
            Document ps = r.get("params", Document.class);
            if (jsonl) {
                row.put("params", ps == null ? Map.of() : new LinkedHashMap<>(ps));
                row.put("metrics", summary == null || summary.get("metrics") == null ? Map.of() : summary.get("metrics"));
                json.add(row);
                return;
            }
            List<String> cells = new ArrayList<>();
            row.values().forEach(v -> cells.add(v instanceof Number ? number(v) : csv(v == null ? "" : v.toString())));
            params.forEach(p -> {
                Object v = ps == null ? null : ps.get(p);
                cells.add(v == null ? "" : v instanceof Number ? number(v) : csv(v.toString()));
            });
            Document ms = summary == null ? null : summary.get("metrics", Document.class);
            metrics.forEach(name -> {
                int dot = name.indexOf('.');
                Document phase = ms == null ? null : ms.get(name.substring(0, dot), Document.class);
                Document m = phase == null ? null : phase.get(name.substring(dot + 1), Document.class);
                for (String k : new String[] {"last", "min", "max"}) {
                    cells.add(m == null || m.get(k) == null ? "" : number(m.get(k)));
                }
            });
            out.println(String.join(",", cells));
        });
        json.end();
        out.flush();
        return ExitCode.OK;
    }

    /**
     * JSON rows as they are read: one a line (jsonl), or the same lines inside one array (json),
     * so that -o json streams in constant memory too.
     */
    private static final class JsonRows {
        private final PrintWriter out;
        private final boolean array;
        private long written;

        JsonRows(PrintWriter out, boolean array) {
            this.out = out;
            this.array = array;
        }

        void add(Map<String, Object> row) {
            if (array) {
                out.print(written == 0 ? "[\n" : ",\n");
            }
            out.print(JsonWriter.write(row));
            if (!array) {
                out.println();
            }
            written++;
        }

        /** Closes the array (an empty one when there were no rows); nothing for jsonl. */
        void end() {
            if (array) {
                out.println(written == 0 ? "[]" : "\n]");
            }
        }
    }

    /** RFC 4180 quoting. */
    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** Numbers as pandas reads them back: NaN, inf and -inf included, floats as {@link FloatText} writes them. */
    static String number(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() ? "NaN" : FloatText.of(d);
        }
        return v == null ? "" : v.toString();
    }
}
