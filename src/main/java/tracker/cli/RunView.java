package tracker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bson.Document;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.cli.options.Format;
import tracker.json.JsonWriter;
import tracker.output.KeyValues;
import tracker.output.Table;
import tracker.report.Numbers;
import tracker.report.RunCurves;
import tracker.report.Selection;
import tracker.report.Sparkline;
import tracker.store.Database;
import tracker.store.Epochs;
import tracker.store.Experiments;
import tracker.store.Steps;
import tracker.store.Runs;

/**
 * {@code tracker show RUN}: a run's parameters, provenance, progress, notes, attempts, and its
 * per-epoch and per-step metrics as tables and curves, laid out for the terminal's width.
 */
final class RunView {
    /** How adaptive search chose the setting: "tpe from 12 finished trials of the cell (2 in flight), seed 8123". */
    static String chosenBy(Document chosen) {
        Document seen = chosen.get("seen", Document.class);
        int finished = seen == null ? 0 : seen.getInteger("finished", 0);
        int transferred = seen == null ? 0 : seen.getInteger("transferred", 0);
        int inFlight = seen == null ? 0 : seen.getInteger("inFlight", 0);
        String how = chosen.getString("how");
        return how + ("random".equals(how) ? " start-up draw" : "") + " after " + finished + " finished trial" + (finished == 1 ? "" : "s")
                + " of the cell" + (transferred > 0 ? " and " + transferred + " of the same model on other datasets" : "")
                + (inFlight > 0 ? " (" + inFlight + " in flight)" : "") + ", seed " + chosen.get("seed");
    }

    /** Steps in the table of {@code show RUN}: the last ones (all of them are in the curves and the export). */
    static final int SHOWN_STEPS = 20;

    private RunView() {
    }

    static ExitCode show(Database db, Cli cli, String runId, Format format) {
        Document run = new Runs(db).find(runId);
        if (run == null) {
            throw new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'",
                    "run ids look like NAME@VERSION/MODEL/DATASET/N; 'tracker export -e NAME' lists them");
        }
        run.remove("token"); // the fencing token is the worker's, not for display (nor for a reader of the API)
        if (run.get("lastEnd") instanceof Document lastEnd) {
            lastEnd.remove("token"); // the ending claim's token: kept to recognise a retried end, shown to nobody
        }
        List<Epochs.Epoch> epochs = new Epochs(db).of(runId);
        List<Steps.Step> steps = new Steps(db).of(runId);
        List<String> startedFromThis = new tracker.store.Links(db).initializedFrom(runId);
        TreeSet<String> series = new TreeSet<>();
        for (Epochs.Epoch e : epochs) {
            e.values().forEach((phase, values) -> values.keySet().forEach(m -> series.add(phase + "." + m)));
        }
        TreeSet<String> stepSeries = new TreeSet<>();
        for (Steps.Step st : steps) {
            st.values().forEach((phase, values) -> values.keySet().forEach(m -> stepSeries.add(phase + "." + m)));
        }
        PrintWriter out = cli.out();
        if (format == Format.svg) {
            out.print(svg(db, run, runId, epochs));
            out.flush();
            return ExitCode.OK;
        }
        if (format == Format.json) {
            Map<String, Object> m = new LinkedHashMap<>(toPlain(run));
            m.put("initializedRuns", startedFromThis); // the other end of initFrom: runs that started from this one
            List<Object> rows = new ArrayList<>();
            for (Epochs.Epoch e : epochs) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", e.epoch());
                for (String s : series) {
                    row.put(s, value(e.values(), s));
                }
                rows.add(row);
            }
            m.put("epochs", rows);
            List<Object> stepRows = new ArrayList<>();
            for (Steps.Step st : steps) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", st.step());
                row.put("epoch", st.epoch());
                for (String sr : stepSeries) {
                    row.put(sr, value(st.values(), sr));
                }
                stepRows.add(row);
            }
            m.put("steps", stepRows);
            out.println(JsonWriter.write(m));
            out.flush();
            return ExitCode.OK;
        }
        KeyValues kv = new KeyValues();
        kv.add("run", runId);
        kv.add("cell", run.getString("model") + " on " + run.getString("dataset") + ", trial " + run.get("trial") + ", replicate "
                + run.get("replicate") + ", seed " + run.get("seed"));
        kv.add("status", run.getString("status") + " (attempt " + run.get("attempt") + ")"
                + (Boolean.TRUE.equals(run.getBoolean("noObjective")) ? ", completed without the objective: not ranked" : "")
                + (run.getString("message") != null ? ": " + run.getString("message") : ""));
        List<String> tags = run.getList("tags", String.class, List.of());
        if (!tags.isEmpty()) {
            kv.add("tags", String.join(", ", tags));
        }
        Document progress = run.get("progress", Document.class);
        if (progress != null && progress.get("fraction") instanceof Number f) {
            kv.add("progress", Math.round(f.doubleValue() * 1000) / 10.0 + "% (reported " + time(progress.getDate("at")) + ")");
        }
        Document params = run.get("params", Document.class);
        kv.add("params", params == null ? "-" + (run.getString("status").equals("pending") ? " (chosen when first claimed: adaptive search)" : "")
                : PlanSummary.params(params));
        Document chosen = run.get("chosen", Document.class);
        if (chosen != null) {
            kv.add("chosen by", chosenBy(chosen));
        }
        if (run.getString("worker") != null) {
            kv.add("worker", run.getString("worker"));
        }
        Document p = run.get("provenance", Document.class);
        if (p != null) {
            Document git = p.get("git", Document.class);
            kv.add("claimed on", p.get("host") + " by " + p.get("user") + " (pid " + p.get("pid") + ") in " + p.get("cwd")
                    + (git == null ? "" : ", git " + git.getString("commit").substring(0, Math.min(12, git.getString("commit").length()))
                    + (Boolean.TRUE.equals(git.getBoolean("dirty")) ? " (dirty)" : "")));
            if (p.get("slurm") != null) {
                kv.add("slurm", p.get("slurm", Document.class).toJson());
            }
        }
        if (run.getString("checkpoint") != null) {
            kv.add("checkpoint", run.getString("checkpoint"));
        }
        if (run.getString("initFrom") != null) {
            kv.add("init from", run.getString("initFrom"));
        }
        if (!startedFromThis.isEmpty()) {
            kv.add("initialized", String.join(", ", startedFromThis) + " (started from this run)");
        }
        Document artifacts = run.get("artifacts", Document.class);
        if (artifacts != null) {
            artifacts.forEach((k, v) -> kv.add("artifact " + k, v));
        }
        List<String> argv = run.getList("commandLine", String.class);
        if (argv != null) {
            kv.add("command", String.join(" ", argv.stream().map(tracker.output.Shell::quote).toList()));
        }
        kv.print(out);
        List<Document> notes = run.getList("notes", Document.class, List.of());
        if (!notes.isEmpty()) {
            out.println();
            out.println("NOTES");
            for (Document n : notes) {
                out.println(time(n.getDate("at")) + "  " + n.getString("text").replace("\n", "\n" + " ".repeat(21)));
            }
        }
        List<Document> history = run.getList("history", Document.class, List.of());
        if (!history.isEmpty()) {
            out.println();
            Table h = new Table("ATTEMPT", "WORKER", "CLAIMED", "ENDED", "HOW", "MESSAGE").alignRight(0);
            for (Document a : history) {
                h.row(a.get("attempt", "-"), a.get("worker", "-"), time(a.getDate("claimedAt")), time(a.getDate("endedAt")),
                        a.get("how", "-"), a.get("message", ""));
            }
            h.print(out);
        }
        int width = Tty.width(null, cli.env()).get();
        if (!epochs.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (Epochs.Epoch e : epochs) {
                rows.add(List.of(e.epoch()));
            }
            out.println();
            printValues(out, width, List.of("EPOCH"), rows, series, epochs.stream().map(Epochs.Epoch::values).toList());
        }
        if (!steps.isEmpty()) {
            // Steps come by the thousand: the table shows the last ones, the curves all of them.
            int from = Math.max(0, steps.size() - SHOWN_STEPS);
            List<List<Object>> rows = new ArrayList<>();
            boolean withEpoch = steps.stream().anyMatch(st -> st.epoch() != null);
            for (Steps.Step st : steps.subList(from, steps.size())) {
                rows.add(withEpoch ? List.of(st.step(), st.epoch() == null ? "" : st.epoch()) : List.of(st.step()));
            }
            out.println();
            if (from > 0) {
                out.println("STEPS (the last " + SHOWN_STEPS + " of " + steps.size() + "; all of them: tracker export --steps)");
            }
            printValues(out, width, withEpoch ? List.of("STEP", "EPOCH") : List.of("STEP"), rows, stepSeries,
                    steps.subList(from, steps.size()).stream().map(Steps.Step::values).toList());
        }
        if (!epochs.isEmpty() || !steps.isEmpty()) {
            out.println();
            if (!epochs.isEmpty()) {
                printCurves(out, width, steps.isEmpty() ? "" : "epochs", series, epochs.stream().map(Epochs.Epoch::values).toList());
            }
            if (!steps.isEmpty()) {
                if (!epochs.isEmpty()) {
                    out.println();
                }
                printCurves(out, width, epochs.isEmpty() ? "" : "steps", stepSeries, steps.stream().map(Steps.Step::values).toList());
            }
        }
        Document output = run.get("output", Document.class);
        if (output != null && !output.getString("tail").isEmpty()) {
            String tail = output.getString("tail");
            long shown = tail.lines().count();
            out.println();
            out.println(Boolean.TRUE.equals(output.getBoolean("truncated"))
                    ? "OUTPUT (the last " + shown + " of " + output.get("lines") + " lines)" : "OUTPUT");
            out.println(tail);
        }
        out.flush();
        return ExitCode.OK;
    }

    /** {@code -o svg}: the run's per-epoch curves, a panel per metric, the objective's chosen epoch marked. */
    private static String svg(Database db, Document run, String runId, List<Epochs.Epoch> epochs) {
        Selection.Objective objective = new Experiments(db).byId(run.getString("experiment")).map(ReportCommand::objective).orElse(null);
        List<RunCurves.Epoch> points = epochs.stream().map(e -> new RunCurves.Epoch(e.epoch(), e.values())).toList();
        String description = run.getString("model") + " on " + run.getString("dataset") + ", trial " + run.get("trial")
                + ", replicate " + run.get("replicate") + ", seed " + run.get("seed") + "; " + run.getString("status");
        return RunCurves.svg(runId, description, points, objective);
    }

    private static Double first(List<Double> values) {
        return values.stream().filter(v -> v != null).findFirst().orElse(null);
    }

    private static Double value(Map<String, Map<String, Double>> values, String series) {
        int dot = series.indexOf('.');
        Map<String, Double> phase = values.get(series.substring(0, dot));
        return phase == null ? null : phase.get(series.substring(dot + 1));
    }

    /**
     * Rows of values under their metric names, the phase named once above its metrics, in blocks
     * of columns that fit the width (each block repeats the leading columns).
     */
    private static void printValues(PrintWriter out, int width, List<String> lead, List<List<Object>> leadCells,
            Collection<String> series, List<Map<String, Map<String, Double>>> values) {
        List<String> all = new ArrayList<>(series);
        // Blocks of as many metric columns as fit (at least one), each with the leading columns.
        for (int start = 0; start < all.size(); ) {
            int end = all.size();
            Table t = valueTable(lead, leadCells, all.subList(start, end), values);
            while (t.width() > width && end - start > 1) {
                end--;
                t = valueTable(lead, leadCells, all.subList(start, end), values);
            }
            if (start > 0) {
                out.println();
            }
            t.print(out);
            start = end;
        }
    }

    private static Table valueTable(List<String> lead, List<List<Object>> leadCells, List<String> series,
            List<Map<String, Map<String, Double>>> values) {
        List<String> headers = new ArrayList<>(lead);
        List<String> groups = new ArrayList<>(Collections.nCopies(lead.size(), (String) null));
        for (String s : series) {
            int dot = s.indexOf('.');
            groups.add(s.substring(0, dot));
            headers.add(s.substring(dot + 1));
        }
        Table t = new Table(headers).alignRightFrom(0).groups(groups);
        for (int i = 0; i < values.size(); i++) {
            List<Object> row = new ArrayList<>(leadCells.get(i));
            for (String s : series) {
                Double v = value(values.get(i), s);
                row.add(v == null ? "" : Numbers.format(v));
            }
            t.row(row.toArray());
        }
        return t;
    }

    /** One line per metric: its curve as a sparkline as wide as the width leaves room for, first, last, min and max. */
    private static void printCurves(PrintWriter out, int width, String of, Collection<String> series,
            List<Map<String, Map<String, Double>>> values) {
        List<String[]> rows = new ArrayList<>();
        List<List<Double>> curves = new ArrayList<>();
        for (String s : series) {
            List<Double> v = new ArrayList<>();
            for (Map<String, Map<String, Double>> point : values) {
                v.add(value(point, s));
            }
            List<Double> finite = v.stream().filter(x -> x != null && Double.isFinite(x)).toList();
            rows.add(new String[] {s, Numbers.format(first(v)), Numbers.format(last(v)),
                    finite.isEmpty() ? "-" : Numbers.format(finite.stream().min(Double::compare).get()),
                    finite.isEmpty() ? "-" : Numbers.format(finite.stream().max(Double::compare).get())});
            curves.add(v);
        }
        String metricHeader = of.isEmpty() ? "METRIC" : "METRIC (" + of + ")";
        Table probe = new Table(metricHeader, "FIRST", "LAST", "MIN", "MAX");
        rows.forEach(r -> probe.row((Object[]) r));
        int curveWidth = Math.max(8, Math.min(40, width - probe.width() - 2 - 2));
        Table curvesTable = new Table(metricHeader, "CURVE", "FIRST", "LAST", "MIN", "MAX").alignRightFrom(2);
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            curvesTable.row(r[0], Sparkline.of(curves.get(i), curveWidth), r[1], r[2], r[3], r[4]);
        }
        curvesTable.print(out);
    }

    private static Double last(List<Double> values) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i) != null) {
                return values.get(i);
            }
        }
        return null;
    }


    private static String time(Date d) {
        return d == null ? "-" : d.toInstant().toString().substring(0, 19).replace('T', ' ');
    }

    /** Dates as ISO text, sub-documents as maps: what JsonWriter writes. */
    private static Map<String, Object> toPlain(Document d) {
        Map<String, Object> m = new LinkedHashMap<>();
        d.forEach((k, v) -> m.put(k, plain(v)));
        return m;
    }

    private static Object plain(Object v) {
        if (v instanceof Document d) {
            return toPlain(d);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RunView::plain).toList();
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        return v;
    }
}
