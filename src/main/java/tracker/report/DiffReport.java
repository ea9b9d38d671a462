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

/**
 * The --diff view: models as rows, shared datasets as columns, each cell the second experiment's
 * mean minus the first's, marked when the replicates differ significantly; per model, on how many
 * datasets the second is significantly better and worse.
 */
public final class DiffReport implements Report, Report.Latex {
    private final Selection selection;
    private final Diff.Result d;
    private final String test;

    /** @param test the name of the test behind the marks, for the legend */
    public DiffReport(Selection selection, Diff.Result d, String test) {
        this.selection = selection;
        this.d = d;
        this.test = test;
    }

    public Diff.Result result() {
        return d;
    }

    private String title() {
        return d.second() + " minus " + d.first() + ": " + selection.describe();
    }

    private List<String> legend() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "*: p < %s (%s over replicates)", SignificanceReport.alpha(d.alpha()), test));
        lines.add("+: " + d.second() + " " + (d.higherIsBetter() ? "higher" : "higher (worse: lower is better)"));
        lines.add("BETTER/WORSE: datasets where " + d.second() + " is significantly better / worse");
        if (!d.onlyFirst().isEmpty()) {
            lines.add("only in " + d.first() + ": " + String.join(", ", d.onlyFirst()));
        }
        if (!d.onlySecond().isEmpty()) {
            lines.add("only in " + d.second() + ": " + String.join(", ", d.onlySecond()));
        }
        return lines;
    }

    static String text(Diff.Cell c, double alpha) {
        if (c == null) {
            return "";
        }
        if (c.delta() == null) {
            return "-";
        }
        return (c.delta() >= 0 ? "+" : "") + Numbers.format(c.delta()) + (c.significant(alpha) ? "*" : " ");
    }

    private long count(String model, boolean better) {
        return d.cells().stream().filter(c -> c.model().equals(model) && c.significant(d.alpha()) && Boolean.valueOf(better).equals(c.better()))
                .count();
    }

    private Table table(Painter painter) {
        List<String> headers = new ArrayList<>(List.of("MODEL"));
        headers.addAll(d.datasets());
        headers.add("BETTER/WORSE");
        Table t = new Table(headers).alignRightFrom(1);
        for (String m : d.models()) {
            List<Object> row = new ArrayList<>(List.of(m));
            for (String ds : d.datasets()) {
                Diff.Cell c = d.cell(m, ds);
                String text = text(c, d.alpha());
                Painter.Mark mark = c == null || !c.significant(d.alpha()) || c.better() == null ? null
                        : c.better() ? Painter.Mark.BEST : Painter.Mark.FAILED;
                row.add(Painter.mark(text, mark));
            }
            row.add(count(m, true) + "/" + count(m, false));
            t.row(row);
        }
        return t;
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("first", d.first());
        out.put("second", d.second());
        out.put("shows", selection.describe());
        out.put("higherIsBetter", d.higherIsBetter());
        out.put("alpha", d.alpha());
        out.put("test", test);
        out.put("models", d.models());
        out.put("datasets", d.datasets());
        List<Object> cells = new ArrayList<>();
        for (Diff.Cell c : d.cells()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", c.model());
            m.put("dataset", c.dataset());
            m.put("first", c.first());
            m.put("second", c.second());
            m.put("delta", c.delta());
            m.put("n1", c.n1());
            m.put("n2", c.n2());
            m.put("p", c.p());
            m.put("significant", c.significant(d.alpha()));
            m.put("better", c.better());
            cells.add(m);
        }
        out.put("cells", cells);
        out.put("onlyFirst", d.onlyFirst());
        out.put("onlySecond", d.onlySecond());
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited t = new Delimited(out, sep);
        t.row("model", "dataset", "first", "second", "delta", "n1", "n2", "p", "significant", "better");
        for (Diff.Cell c : d.cells()) {
            t.row(c.model(), c.dataset(), c.first(), c.second(), c.delta(), c.n1(), c.n2(), c.p(), c.significant(d.alpha()), c.better());
        }
    }

    @Override
    public void table(PrintWriter out, Screen screen) {
        screen.wrap(title()).forEach(out::println);
        table(screen.painter()).print(out, screen.painter());
        legend().forEach(line -> screen.wrap(line).forEach(out::println));
    }

    /**
     * A row per model, a column per shared dataset, then the count of significantly better / worse
     * datasets; each cell the signed difference, bold where the test finds the replicates different.
     */
    @Override
    public void latex(PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("Model"));
        d.datasets().forEach(ds -> header.add(LatexTable.escape(ds)));
        header.add("Better/worse");
        LatexTable table = new LatexTable("diff of " + d.first() + " and " + d.second(), latexCaption(),
                d.second() + "-minus-" + d.first(), "l" + "r".repeat(d.datasets().size() + 1), header);
        for (String m : d.models()) {
            List<String> row = new ArrayList<>(List.of(LatexTable.escape(m)));
            for (String ds : d.datasets()) {
                Diff.Cell c = d.cell(m, ds);
                row.add(c == null ? "" : c.delta() == null ? "--"
                        : c.significant(d.alpha()) ? LatexTable.bold(LatexTable.signed(c.delta())) : LatexTable.signed(c.delta()));
            }
            row.add(count(m, true) + "/" + count(m, false));
            table.row(row);
        }
        table.print(out);
    }

    private List<String> latexCaption() {
        String second = LatexTable.escape(d.second());
        String first = LatexTable.escape(d.first());
        List<String> sentences = new ArrayList<>();
        sentences.add(second + " minus " + first + ", per model and dataset: " + LatexTable.escape(selection.describe()));
        sentences.add("Positive: " + second + " higher (" + (d.higherIsBetter() ? "better" : "worse: lower is better") + ")");
        sentences.add("Bold: the replicates of the two differ significantly (" + LatexTable.escape(test) + " over replicates, "
                + "two-sided, $p < " + SignificanceReport.alpha(d.alpha()) + "$); cells with fewer than 2 finite replicates on a side are "
                + "not tested");
        sentences.add("Better/worse: on how many datasets " + second + " is significantly better / worse");
        if (d.cells().stream().anyMatch(c -> c.delta() == null)) {
            sentences.add("--: no value in one of the two");
        }
        if (d.cells().size() < d.models().size() * d.datasets().size()) {
            sentences.add("Blank: the model runs on the dataset in neither");
        }
        if (!d.onlyFirst().isEmpty()) {
            sentences.add("Only in " + first + ": " + LatexTable.escape(String.join(", ", d.onlyFirst())));
        }
        if (!d.onlySecond().isEmpty()) {
            sentences.add("Only in " + second + ": " + LatexTable.escape(String.join(", ", d.onlySecond())));
        }
        return sentences;
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + title() + "**");
        out.println();
        table(Painter.PLAIN).printMarkdown(out);
        out.println();
        out.println(String.join("   ", legend()));
    }
}
