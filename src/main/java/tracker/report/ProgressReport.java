package tracker.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.output.Delimited;
import tracker.output.Painter;
import tracker.output.Screen;
import tracker.output.Table;
import tracker.util.Durations;

/** The progress view: runs by status per cell with small bars, and the time left. */
public final class ProgressReport implements Report {
    static final String LEGEND = "█ completed  ▓ failed or cancelled  ▒ running  · pending";
    /** The legend when some run was pruned: its glyph after completed's, as in the bar. */
    static final String LEGEND_PRUNED = "█ completed  " + Progress.PRUNED_GLYPH + " pruned (stopped early, done)  ▓ failed or cancelled  "
            + "▒ running  · pending";
    private static final int BAR = 20;
    private static final int MIN_BAR = 5;

    private final String experiment;
    private final Progress.Result p;

    public ProgressReport(String experiment, Progress.Result p) {
        this.experiment = experiment;
        this.p = p;
    }

    public Progress.Result result() {
        return p;
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        List<Object> cells = new ArrayList<>();
        for (Progress.Cell c : p.cells()) {
            cells.add(json(c));
        }
        out.put("cells", cells);
        out.put("overall", json(p.overall()));
        out.put("etaSeconds", p.eta() == null ? null : p.eta().toSeconds());
        return out;
    }

    private static Map<String, Object> json(Progress.Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.model());
        m.put("dataset", c.dataset());
        m.put("total", c.total());
        m.put("completed", c.completed());
        m.put("failed", c.failed());
        m.put("cancelled", c.cancelled());
        m.put("pruned", c.pruned());
        m.put("running", c.running());
        m.put("pending", c.pending());
        return m;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        d.row("model", "dataset", "total", "completed", "failed", "cancelled", "pruned", "running", "pending");
        for (Progress.Cell c : p.cells()) {
            d.row(c.model(), c.dataset(), c.total(), c.completed(), c.failed(), c.cancelled(), c.pruned(), c.running(), c.pending());
        }
    }

    /**
     * Fits the screen by giving up, in this order, what the other columns also tell: bar length
     * (down to {@link #MIN_BAR}), then the COMPLETED, PENDING and RUNNING counts (the bar and DONE
     * still show them), then the middle of long model and dataset names.
     */
    @Override
    public void table(PrintWriter out, Screen screen) {
        List<String> dropped = new ArrayList<>();
        Table t = shortestBar(screen, dropped);
        for (String next : DROP_ORDER) {
            if (t.width() <= screen.width()) {
                break;
            }
            dropped.add(next);
            t = shortestBar(screen, dropped);
        }
        t.names(0, 1).within(screen.width()).print(out, screen.painter());
        out.println();
        screen.wrap(summary()).forEach(out::println);
        screen.flow(List.of(legend().split("  ")), "  ").forEach(out::println);
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + experiment + ": progress**");
        out.println();
        table(BAR, Painter.PLAIN).printMarkdown(out);
        out.println();
        out.println(summary());
        out.println();
        out.println(legend());
    }

    /** Whether some run was pruned: only then do the table, summary and legend name pruned runs (an experiment without early stopping reads as before). */
    private boolean anyPruned() {
        return p.overall().pruned() > 0;
    }

    private String legend() {
        return anyPruned() ? LEGEND_PRUNED : LEGEND;
    }

    private Table table(int bar, Painter painter) {
        return table(bar, painter, List.of());
    }

    /** The table with the longest bar that fits, or the shortest bar. */
    private Table shortestBar(Screen screen, List<String> dropped) {
        Table t = table(BAR, screen.painter(), dropped);
        int excess = t.width() - screen.width();
        return excess > 0 ? table(Math.max(MIN_BAR, BAR - excess), screen.painter(), dropped) : t;
    }

    /** Counts a narrow screen drops first, in this order. */
    private static final List<String> DROP_ORDER = List.of("COMPLETED", "PENDING", "RUNNING");

    private Table table(int bar, Painter painter, List<String> dropped) {
        List<String> headers = new ArrayList<>(List.of("MODEL", "DATASET", "PROGRESS", "DONE", "COMPLETED", "FAILED", "RUNNING", "PENDING"));
        if (anyPruned()) {
            headers.add(headers.indexOf("FAILED"), "PRUNED"); // in the bar's order: completed, pruned, failed
        }
        headers.removeAll(dropped);
        Table t = new Table(headers).alignRightFrom(3);
        for (Progress.Cell c : p.cells()) {
            long bad = c.failed() + c.cancelled();
            Map<String, Object> cells = new LinkedHashMap<>();
            cells.put("MODEL", c.model());
            cells.put("DATASET", c.dataset());
            cells.put("PROGRESS", Progress.bar(c, bar));
            cells.put("DONE", c.done() + "/" + c.total());
            cells.put("COMPLETED", c.completed());
            cells.put("PRUNED", c.pruned());
            cells.put("FAILED", Painter.mark(bad, bad > 0 ? Painter.Mark.FAILED : null));
            cells.put("RUNNING", Painter.mark(c.running(), c.running() > 0 ? Painter.Mark.IN_FLIGHT : null));
            cells.put("PENDING", c.pending());
            t.row(headers.stream().map(cells::get).toList());
        }
        return t;
    }

    /** One line: counts and the time left. */
    public String summary() {
        Progress.Cell all = p.overall();
        return experiment + ": " + all.done() + "/" + all.total() + " done (" + all.completed() + " completed, " + all.failed()
                + " failed, " + all.cancelled() + " cancelled" + (anyPruned() ? ", " + all.pruned() + " pruned" : "") + "), " + all.running() + " running, " + all.pending() + " pending; "
                + (p.eta() == null ? "time left: unknown until a run finishes with workers at hand"
                : p.eta().isZero() ? "finished" : "about " + Durations.format(p.eta().withNanos(0)) + " left at this pace");
    }
}
