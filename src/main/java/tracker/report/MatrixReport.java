package tracker.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tracker.output.Delimited;
import tracker.output.Painter;
import tracker.output.Screen;
import tracker.output.Table;
import tracker.report.stats.ReplicateTies;

/**
 * The matrix view: models as rows, datasets as columns, average rank and wins. On a terminal too
 * narrow for it, datasets become the rows (transposed) if that fits, else the dataset columns are
 * wrapped into blocks that each repeat the model column. As LaTeX, one booktabs table whose caption
 * says what every number and every mark means ({@link MatrixLatex}).
 */
public final class MatrixReport implements Report, Report.Svg, Report.Latex {
    static final String LEGEND = "* best on the dataset|n/N: runs done of planned (incomplete)|-: no result yet|failed: only failures"
            + "|(blank: the model does not run on it)";

    private final String experiment;
    private final Selection selection;
    private final Matrix.Result m;
    private final List<String> notShared;
    private final String hint;
    private final double alpha;

    /**
     * @param experiment what the title names: one experiment, or several ("a@1 vs b@2")
     * @param notShared  datasets left out because not every experiment has them
     * @param hint       a last line for the legend (how to see the test figure), or null
     */
    public MatrixReport(String experiment, Selection selection, Matrix.Result m, List<String> notShared, String hint, double alpha) {
        this.alpha = alpha;
        this.experiment = experiment;
        this.selection = selection;
        this.m = m;
        this.notShared = List.copyOf(notShared);
        this.hint = hint;
    }

    public MatrixReport(String experiment, Selection selection, Matrix.Result m) {
        this(experiment, selection, m, List.of(), null, ReplicateTies.ALPHA);
    }

    public Matrix.Result result() {
        return m;
    }

    public String experiment() {
        return experiment;
    }

    public Selection selection() {
        return selection;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        out.put("objective", selection.objective().toString());
        out.put("metric", selection.shown().toString());
        out.put("epoch", selection.epoch().name());
        out.put("higherIsBetter", m.higherIsBetter());
        out.put("shows", describe());
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
            cm.put("verdict", c.verdict() == null ? null : c.verdict().name().toLowerCase(java.util.Locale.ROOT));
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
        out.put("alpha", alpha);
        out.putAll(SignificanceReport.json(m));
        out.put("notShared", notShared);
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        d.row("model", "dataset", "mean", "std", "n", "trial", "done", "total", "failed", "best", "verdict");
        for (Matrix.Cell c : m.cells().values()) {
            d.row(c.model(), c.dataset(), c.mean(), c.std(), c.n(), c.trial(), c.done(), c.total(), c.failed(), c.best(),
                    c.verdict() == null ? null : c.verdict().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The heatmap: the same cells, marks and notes as the table (bold: best, underlined: not significantly worse). */
    @Override
    public void svg(PrintWriter out) {
        List<String> legend = new ArrayList<>();
        legend.add("Colour: where a value lies between the dataset's worst (light) and best (dark); bold: best on the dataset"
                + (m.agg() == Matrix.Agg.best || m.agg() == Matrix.Agg.last ? "; underlined: not significantly worse than the best ("
                + ReplicateTies.METHOD + " over replicates, p >= " + SignificanceReport.alpha(alpha) + ")" : "")
                + "; (n/N): runs done of planned.");
        // the notes for a reader of a figure: no command-line hints
        notes().stream().filter(n -> n.startsWith("AVG RANK") || n.startsWith("left out")).forEach(legend::add);
        if (m.significance() != null) {
            legend.add(SignificanceReport.friedmanLine(m, alpha) + ".");
        }
        out.print(MatrixSvg.render(title(), m, legend));
    }

    @Override
    public void latex(PrintWriter out) {
        new MatrixLatex(experiment, describe(), m, notShared, alpha).print(out);
    }

    /** What a cell holds, in one line. */
    String describe() {
        return switch (m.agg()) {
            case best -> selection.describe();
            case last -> selection.describe().replace("best configuration by its mean", "last configuration")
                    .replace("configuration with the best mean", "last configuration, chosen by");
            default -> m.agg() + " ± std over configurations of " + selection.objective() + " (each the mean of its replicates, at "
                    + (selection.epoch() == Selection.EpochRule.best ? "each run's best epoch" : "each run's last epoch") + ")";
        };
    }

    private String title() {
        return experiment + ": " + describe();
    }

    /** The legend's notes after the marks: which datasets the ranks are taken over, which were left out. */
    private List<String> notes() {
        List<String> lines = new ArrayList<>();
        List<String> unranked = m.datasets().stream().filter(d -> !m.rankedDatasets().contains(d)).toList();
        if (!m.compared().isEmpty()) {
            String over = m.rankedDatasets().isEmpty() ? "no dataset has a result of every model: no ranks"
                    : "AVG RANK: 1 = best (" + (m.higherIsBetter() ? "highest" : "lowest") + "), over the " + m.rankedDatasets().size()
                    + (m.rankedDatasets().size() == 1 ? " dataset" : " datasets") + " every model has a result on"
                    + (unranked.isEmpty() ? "" : "; not ranked: " + String.join(", ", unranked));
            lines.add(over);
        }
        if (!notShared.isEmpty()) {
            lines.add("left out (not in every experiment): " + String.join(", ", notShared));
        }
        if (m.agg() == Matrix.Agg.best || m.agg() == Matrix.Agg.last) {
            boolean untested = m.cells().values().stream().anyMatch(c -> c.verdict() == ReplicateTies.Verdict.UNTESTED);
            lines.add("~: not significantly worse than the best (" + ReplicateTies.METHOD + " over replicates, p >= "
                    + SignificanceReport.alpha(alpha) + (untested ? "; 1 replicate: not tested" : "") + ")");
        }
        if (m.significance() != null) {
            lines.add(SignificanceReport.friedmanShort(m, alpha));
        }
        if (hint != null) {
            lines.add(hint);
        }
        return lines;
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + title() + "**");
        out.println();
        normal(m.datasets(), true, Painter.PLAIN).printMarkdown(out);
        out.println();
        List<String> legend = new ArrayList<>(List.of(LEGEND.split("\\|")));
        legend.addAll(notes());
        out.println(String.join("   ", legend));
    }

    @Override
    public void table(PrintWriter out, Screen screen) {
        screen.wrap(title()).forEach(out::println);
        Table normal = normal(m.datasets(), true, screen.painter());
        Table transposed = transposed();
        if (normal.width() <= screen.width() || m.datasets().size() <= 1) {
            normal.print(out, screen.painter());
        } else if (transposed.width() <= screen.width()) {
            transposed.print(out, screen.painter());
        } else {
            List<List<String>> blocks = blocks(screen.width());
            for (int i = 0; i < blocks.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                normal(blocks.get(i), i == blocks.size() - 1, screen.painter()).print(out, screen.painter());
            }
        }
        screen.flow(List.of(LEGEND.split("\\|")), "   ").forEach(out::println);
        notes().forEach(note -> screen.wrap(note).forEach(out::println));
    }

    /** Dataset columns in blocks that fit {@code width} with the model column; rank and wins go with the last. */
    private List<List<String>> blocks(int width) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String d : m.datasets()) {
            List<String> candidate = new ArrayList<>(current);
            candidate.add(d);
            if (current.isEmpty() || normal(candidate, false, Painter.PLAIN).width() <= width) {
                current = candidate;
            } else {
                blocks.add(current);
                current = new ArrayList<>(List.of(d));
            }
        }
        if (normal(current, true, Painter.PLAIN).width() <= width) {
            blocks.add(current);
        } else {
            blocks.add(current);
            blocks.add(List.of()); // the model column with average rank and wins only
        }
        return blocks;
    }

    private Table normal(List<String> datasets, boolean ranks, Painter painter) {
        List<String> headers = new ArrayList<>(List.of("MODEL"));
        headers.addAll(datasets);
        if (ranks) {
            headers.add("AVG RANK");
            headers.add("WINS");
        }
        Table t = new Table(headers).alignRightFrom(1);
        for (Matrix.Rank r : m.ranks()) {
            List<Object> row = new ArrayList<>(List.of(r.model()));
            for (String d : datasets) {
                row.add(cell(m.cell(r.model(), d)));
            }
            if (ranks) {
                row.add(rank(r));
                row.add(r.wins());
            }
            t.row(row);
        }
        return t;
    }

    private Table transposed() {
        List<String> headers = new ArrayList<>(List.of("DATASET"));
        headers.addAll(m.models());
        Table t = new Table(headers).alignRightFrom(1);
        for (String d : m.datasets()) {
            List<Object> row = new ArrayList<>(List.of(d));
            for (String model : m.models()) {
                row.add(cell(m.cell(model, d)));
            }
            t.row(row);
        }
        List<Object> avg = new ArrayList<>(List.of("AVG RANK"));
        List<Object> wins = new ArrayList<>(List.of("WINS"));
        for (Matrix.Rank r : m.ranks()) {
            avg.add(rank(r));
            wins.add(r.wins());
        }
        t.row(avg);
        t.row(wins);
        return t;
    }

    private static String rank(Matrix.Rank r) {
        return r.averageRank() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.averageRank());
    }

    private static Object cell(Matrix.Cell c) {
        String text = text(c);
        if (c == null) {
            return text;
        }
        Painter.Mark mark = c.best() ? Painter.Mark.BEST : c.onlyFailures() ? Painter.Mark.FAILED
                : c.complete() ? null : Painter.Mark.IN_FLIGHT;
        return Painter.mark(text, mark);
    }

    /** A cell as the table shows it: value (± std), "*" when best, done/total while incomplete. */
    static String text(Matrix.Cell c) {
        if (c == null) {
            return "";
        }
        String progress = c.complete() ? "" : " " + c.done() + "/" + c.total();
        if (c.mean() == null) {
            return (c.onlyFailures() ? "failed" : "-") + progress;
        }
        return Numbers.meanStd(c.mean(), c.std(), c.n()) + (c.best() ? " *" : c.tie() ? " ~" : "  ") + progress;
    }
}
