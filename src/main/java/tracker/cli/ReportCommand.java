package tracker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.output.Table;
import tracker.report.Matrix;
import tracker.report.Progress;
import tracker.store.Cells;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Results;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The model x dataset picture of an experiment: each cell is the objective of the cell's best "
                + "configuration, as mean ± std over its replicates; the best model per dataset is marked; average rank "
                + "and wins per model. A cell shows done/planned runs while incomplete.",
                ""})
public final class ReportCommand extends ConnectedCommand {
    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME", description = "NAME or NAME@VERSION.")
    String experiment;

    enum View { matrix, progress }

    @Option(names = "--view", paramLabel = "VIEW", defaultValue = "matrix",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}): the model x dataset matrix, or runs by "
                    + "status per cell with bars and the time left.")
    View view;

    @Option(names = "--agg", paramLabel = "HOW", defaultValue = "best",
            description = "How a cell combines its configurations: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Matrix.Agg agg;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(Format.table, Format.table, Format.json, Format.csv, Format.tsv, Format.markdown);
        ExperimentRecord e = new Experiments(db).resolve(experiment);
        Map<String, List<Results.Outcome>> outcomes = new Results(db).of(e);
        List<Document> cellDocs = new Cells(db).of(e);
        if (view == View.progress) {
            progress(cli, format, e, cellDocs, outcomes);
            cli.out().flush();
            return ExitCode.OK;
        }
        List<Matrix.CellInput> inputs = new ArrayList<>();
        for (Document c : cellDocs) {
            List<Matrix.Outcome> os = new ArrayList<>();
            for (Results.Outcome o : outcomes.getOrDefault(c.getString("_id"), List.of())) {
                os.add(new Matrix.Outcome(o.trial(), o.replicate(), o.status(), o.best()));
            }
            inputs.add(new Matrix.CellInput(c.getString("model"), c.getString("dataset"), c.getInteger("size", 0), os));
        }
        boolean maximize = "maximize".equals(e.objective().get("goal"));
        Matrix.Result m = Matrix.compute(e.models(), e.datasets(), inputs, maximize, agg);
        String objective = e.objective().get("phase") + "." + e.objective().get("metric") + " (" + e.objective().get("goal") + ")";
        switch (format) {
            case json -> cli.out().println(JsonWriter.write(json(e, objective, m)));
            case csv -> csv(cli, m, ",");
            case tsv -> csv(cli, m, "\t");
            default -> table(cli, e, objective, m, format == Format.markdown);
        }
        cli.out().flush();
        return ExitCode.OK;
    }

    private static void progress(Cli cli, Format format, ExperimentRecord e, List<Document> cellDocs,
                                 Map<String, List<Results.Outcome>> outcomes) {
        List<Progress.CellInput> inputs = new ArrayList<>();
        for (Document c : cellDocs) {
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
        inputs.sort(java.util.Comparator.comparing(Progress.CellInput::model).thenComparing(Progress.CellInput::dataset));
        Progress.Result p = Progress.compute(inputs);
        if (format == Format.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("experiment", e.id());
            List<Object> cells = new ArrayList<>();
            for (Progress.Cell c : p.cells()) {
                cells.add(progressJson(c));
            }
            out.put("cells", cells);
            out.put("overall", progressJson(p.overall()));
            out.put("etaSeconds", p.eta() == null ? null : p.eta().toSeconds());
            cli.out().println(JsonWriter.write(out));
            return;
        }
        if (format == Format.csv) {
            cli.out().println("model,dataset,total,completed,failed,cancelled,running,pending");
            for (Progress.Cell c : p.cells()) {
                cli.out().println(String.join(",", c.model(), c.dataset(), Long.toString(c.total()), Long.toString(c.completed()),
                        Long.toString(c.failed()), Long.toString(c.cancelled()), Long.toString(c.running()), Long.toString(c.pending())));
            }
            return;
        }
        Table t = new Table("MODEL", "DATASET", "PROGRESS", "DONE", "COMPLETED", "FAILED", "RUNNING", "PENDING").alignRight(3, 4, 5, 6, 7);
        for (Progress.Cell c : p.cells()) {
            t.row(c.model(), c.dataset(), Progress.bar(c, 20), c.done() + "/" + c.total(), c.completed(), c.failed() + c.cancelled(),
                    c.running(), c.pending());
        }
        t.print(cli.out());
        Progress.Cell all = p.overall();
        cli.out().println();
        cli.out().println(e.id() + ": " + all.done() + "/" + all.total() + " done (" + all.completed() + " completed, "
                + all.failed() + " failed, " + all.cancelled() + " cancelled), " + all.running() + " running, " + all.pending()
                + " pending; " + (p.eta() == null ? "time left: unknown until a run finishes with workers at hand"
                : p.eta().isZero() ? "finished" : "about " + tracker.util.Durations.format(p.eta().withNanos(0)) + " left at this pace"));
        cli.out().println("█ completed  ▓ failed or cancelled  ▒ running  · pending");
    }

    private static Map<String, Object> progressJson(Progress.Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.model());
        m.put("dataset", c.dataset());
        m.put("total", c.total());
        m.put("completed", c.completed());
        m.put("failed", c.failed());
        m.put("cancelled", c.cancelled());
        m.put("running", c.running());
        m.put("pending", c.pending());
        return m;
    }

    private static Map<String, Object> json(ExperimentRecord e, String objective, Matrix.Result m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", e.id());
        out.put("objective", objective);
        out.put("agg", m.agg().name());
        out.put("models", m.models());
        out.put("datasets", m.datasets());
        List<Object> cells = new ArrayList<>();
        for (Matrix.Cell c : m.cells().values()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("model", c.model());
            cm.put("dataset", c.dataset());
            cm.put("mean", c.mean());
            cm.put("std", c.std());
            cm.put("n", c.n());
            cm.put("trial", c.trial());
            cm.put("done", c.done());
            cm.put("total", c.total());
            cm.put("failed", c.failed());
            cm.put("best", c.best());
            cells.add(cm);
        }
        out.put("cells", cells);
        List<Object> ranks = new ArrayList<>();
        for (Matrix.Rank r : m.ranks()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("model", r.model());
            rm.put("averageRank", r.averageRank());
            rm.put("wins", r.wins());
            rm.put("datasets", r.datasets());
            ranks.add(rm);
        }
        out.put("ranks", ranks);
        return out;
    }

    private static void csv(Cli cli, Matrix.Result m, String sep) {
        cli.out().println(String.join(sep, "model", "dataset", "mean", "std", "n", "trial", "done", "total", "failed", "best"));
        for (Matrix.Cell c : m.cells().values()) {
            cli.out().println(String.join(sep, c.model(), c.dataset(), str(c.mean()), str(c.std()), Integer.toString(c.n()),
                    c.trial() == null ? "" : c.trial().toString(), Long.toString(c.done()), Long.toString(c.total()),
                    Long.toString(c.failed()), Boolean.toString(c.best())));
        }
    }

    private static String str(Double d) {
        return d == null ? "" : Double.toString(d);
    }

    private static void table(Cli cli, ExperimentRecord e, String objective, Matrix.Result m, boolean markdown) {
        cli.out().println((markdown ? "**" : "") + e.id() + ": " + objective + ", " + (m.agg() == Matrix.Agg.best ? "best configuration per cell"
                : m.agg() + " over configurations") + ", mean ± std over replicates" + (markdown ? "**\n" : ""));
        List<String> headers = new ArrayList<>(List.of("MODEL"));
        headers.addAll(m.datasets());
        headers.add("AVG RANK");
        headers.add("WINS");
        Table t = new Table(headers.toArray(String[]::new));
        int[] right = new int[m.datasets().size() + 2];
        for (int i = 0; i < right.length; i++) {
            right[i] = i + 1;
        }
        t.alignRight(right);
        for (Matrix.Rank r : m.ranks()) {
            List<Object> row = new ArrayList<>(List.of(r.model()));
            for (String d : m.datasets()) {
                row.add(text(m.cell(r.model(), d)));
            }
            row.add(r.averageRank() == null ? "-" : String.format("%.2f", r.averageRank()));
            row.add(r.wins());
            t.row(row.toArray());
        }
        if (markdown) {
            t.printMarkdown(cli.out());
            cli.out().println();
        } else {
            t.print(cli.out());
        }
        cli.out().println("* best on the dataset   n/N: runs done of planned (incomplete)   -: no result yet   "
                + "failed: only failures   (blank: the model does not run on it)");
    }

    static String text(Matrix.Cell c) {
        if (c == null) {
            return "";
        }
        String progress = c.complete() ? "" : " " + c.done() + "/" + c.total();
        if (c.mean() == null) {
            return (c.onlyFailures() ? "failed" : "-") + progress;
        }
        String v = num(c.mean()) + (c.n() > 1 ? " ± " + num(c.std()) : "");
        return v + (c.best() ? " *" : "  ") + progress;
    }

    static String num(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Math.abs(d) >= 1000 || (Math.abs(d) < 0.001 && d != 0) ? String.format("%.3g", d) : String.format("%.3f", d);
    }
}
