package tracker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
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
import tracker.report.Sparkline;
import tracker.store.Database;
import tracker.store.Epochs;
import tracker.store.Runs;

/** {@code tracker show RUN}: a run's parameters, provenance, attempts, and its per-epoch metrics as a table and curves. */
final class RunView {
    private RunView() {
    }

    static ExitCode show(Database db, Cli cli, String runId, Format format) {
        Document run = new Runs(db).find(runId);
        if (run == null) {
            throw new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'",
                    "run ids look like NAME@VERSION/MODEL/DATASET/N; 'tracker export -e NAME' lists them");
        }
        run.remove("token"); // the fencing token is the worker's, not for display
        List<Epochs.Epoch> epochs = new Epochs(db).of(runId);
        TreeSet<String> series = new TreeSet<>();
        for (Epochs.Epoch e : epochs) {
            e.values().forEach((phase, values) -> values.keySet().forEach(m -> series.add(phase + "." + m)));
        }
        PrintWriter out = cli.out();
        if (format == Format.json) {
            Map<String, Object> m = new LinkedHashMap<>(toPlain(run));
            List<Object> rows = new ArrayList<>();
            for (Epochs.Epoch e : epochs) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", e.epoch());
                for (String s : series) {
                    row.put(s, value(e, s));
                }
                rows.add(row);
            }
            m.put("epochs", rows);
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
        Document params = run.get("params", Document.class);
        kv.add("params", params == null ? "-" : PlanSummary.params(params));
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
        Document artifacts = run.get("artifacts", Document.class);
        if (artifacts != null) {
            artifacts.forEach((k, v) -> kv.add("artifact " + k, v));
        }
        List<String> argv = run.getList("commandLine", String.class);
        if (argv != null) {
            kv.add("command", String.join(" ", argv.stream().map(tracker.output.Shell::quote).toList()));
        }
        kv.print(out);
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
        if (!epochs.isEmpty()) {
            out.println();
            List<String> headers = new ArrayList<>(List.of("EPOCH"));
            headers.addAll(series);
            Table t = new Table(headers.toArray(String[]::new));
            int[] right = new int[headers.size()];
            for (int i = 0; i < right.length; i++) {
                right[i] = i;
            }
            t.alignRight(right);
            for (Epochs.Epoch e : epochs) {
                List<Object> row = new ArrayList<>(List.of(e.epoch()));
                for (String s : series) {
                    Double v = value(e, s);
                    row.add(v == null ? "" : Numbers.format(v));
                }
                t.row(row.toArray());
            }
            t.print(out);
            out.println();
            Table curves = new Table("METRIC", "CURVE", "FIRST", "LAST", "MIN", "MAX");
            for (String s : series) {
                List<Double> values = new ArrayList<>();
                for (Epochs.Epoch e : epochs) {
                    values.add(value(e, s));
                }
                List<Double> finite = values.stream().filter(v -> v != null && Double.isFinite(v)).toList();
                curves.row(s, Sparkline.of(values, 40), Numbers.format(first(values)), Numbers.format(values.get(values.size() - 1)),
                        finite.isEmpty() ? "-" : Numbers.format(finite.stream().min(Double::compare).get()),
                        finite.isEmpty() ? "-" : Numbers.format(finite.stream().max(Double::compare).get()));
            }
            curves.print(out);
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

    private static Double first(List<Double> values) {
        return values.stream().filter(v -> v != null).findFirst().orElse(null);
    }

    private static Double value(Epochs.Epoch epoch, String series) {
        int dot = series.indexOf('.');
        return epoch.value(series.substring(0, dot), series.substring(dot + 1));
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
