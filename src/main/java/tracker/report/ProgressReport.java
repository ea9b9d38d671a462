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
        m.put("running", c.running());
        m.put("pending", c.pending());
        return m;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        d.row("model", "dataset", "total", "completed", "failed", "cancelled", "running", "pending");
        for (Progress.Cell c : p.cells()) {
            d.row(c.model(), c.dataset(), c.total(), c.completed(), c.failed(), c.cancelled(), c.running(), c.pending());
        }
    }

    @Override
    public void table(PrintWriter out, Screen screen) {
        Table t = table(BAR, screen.painter());
        int excess = t.width() - screen.width();
        if (excess > 0) {
            t = table(Math.max(MIN_BAR, BAR - excess), screen.painter());
        }
        t.print(out, screen.painter());
        out.println();
        screen.wrap(summary()).forEach(out::println);
        out.println(LEGEND);
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + experiment + ": progress**");
        out.println();
        table(BAR, Painter.PLAIN).printMarkdown(out);
        out.println();
        out.println(summary());
        out.println();
        out.println(LEGEND);
    }

    private Table table(int bar, Painter painter) {
        Table t = new Table("MODEL", "DATASET", "PROGRESS", "DONE", "COMPLETED", "FAILED", "RUNNING", "PENDING").alignRight(3, 4, 5, 6, 7);
        for (Progress.Cell c : p.cells()) {
            long bad = c.failed() + c.cancelled();
            t.row(c.model(), c.dataset(), Progress.bar(c, bar), c.done() + "/" + c.total(), c.completed(),
                    Painter.mark(bad, bad > 0 ? Painter.Mark.FAILED : null), Painter.mark(c.running(), c.running() > 0
                            ? Painter.Mark.IN_FLIGHT : null), c.pending());
        }
        return t;
    }

    /** One line: counts and the time left. */
    public String summary() {
        Progress.Cell all = p.overall();
        return experiment + ": " + all.done() + "/" + all.total() + " done (" + all.completed() + " completed, " + all.failed()
                + " failed, " + all.cancelled() + " cancelled), " + all.running() + " running, " + all.pending() + " pending; "
                + (p.eta() == null ? "time left: unknown until a run finishes with workers at hand"
                : p.eta().isZero() ? "finished" : "about " + Durations.format(p.eta().withNanos(0)) + " left at this pace");
    }
}
