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
import tracker.report.stats.AcrossDatasets;
import tracker.report.stats.CdDiagramSvg;
import tracker.report.stats.CdDiagramText;
import tracker.report.stats.Clique;
import tracker.report.stats.Comparison;

/**
 * The significance view: whether the models of the matrix differ across the datasets every one of
 * them has a result on (Demšar 2006): average ranks, the Friedman test with the Iman-Davenport
 * correction, the Nemenyi critical difference drawn as a diagram, and Wilcoxon signed-rank tests
 * with Holm's correction. The cells compared are exactly the matrix's (same selection, same metric).
 */
public final class SignificanceReport implements Report, Report.Svg {
    private final String experiment;
    private final Selection selection;
    private final Matrix.Result m;

    public SignificanceReport(String experiment, Selection selection, Matrix.Result m) {
        this.experiment = experiment;
        this.selection = selection;
        this.m = m;
    }

    /** Why there is nothing to test, or null when there is. */
    static String untestable(Matrix.Result m) {
        if (m.significance() != null) {
            return null;
        }
        if (m.compared().size() < 2) {
            return "comparing models needs at least 2 models with results; " + m.compared().size() + " has";
        }
        return "comparing models across datasets needs at least 2 datasets every model has a result on; "
                + (m.rankedDatasets().isEmpty() ? "there is none" : "there is 1 (" + m.rankedDatasets().get(0) + ")");
    }

    static String p(double p) {
        return p < 0.001 ? "< 0.001" : "= " + String.format(Locale.ROOT, "%.3f", p);
    }

    /** The verdict of the Friedman test in one line, for the matrix's legend too. */
    static String friedmanLine(Matrix.Result m, double alpha) {
        AcrossDatasets s = m.significance();
        var f = s.friedman();
        double p = f.verdictPValue();
        boolean differ = p < alpha;
        String few = f.datasets() < 5 ? " (only " + f.datasets() + " datasets: too few for these tests to be reliable; Demšar "
                + "recommends more than 10)" : "";
        return String.format(Locale.ROOT, "Friedman test over %d datasets: chi2 = %.2f, p %s; Iman-Davenport F(%d, %d) = %s, p %s: %s",
                f.datasets(), f.chiSquare(), p(f.pValue()), f.dfModels(), f.dfResidual(),
                Double.isInfinite(f.f()) ? "inf" : String.format(Locale.ROOT, "%.2f", f.f()), p(f.fPValue()),
                differ ? "the models differ (p < " + alpha(alpha) + ")" : "no significant difference among the models (p >= " + alpha(alpha) + ")")
                + few;
    }

    /** The same verdict, short, for the matrix's legend. */
    static String friedmanShort(Matrix.Result m, double alpha) {
        var f = m.significance().friedman();
        double p = f.verdictPValue();
        return "Friedman test (Iman-Davenport) over " + f.datasets() + " datasets: p " + p(p) + ", "
                + (p < alpha ? "the models differ" : "no significant difference")
                + (f.datasets() < 5 ? " (too few datasets to be reliable)" : "") + "; --view significance says more";
    }

    /** A test level as people write it: 0.05, 0.1, 0.001 (the report's number, trailing zeros dropped). */
    static String alpha(double alpha) {
        return Numbers.format(alpha).replaceAll("0+$", "");
    }

    private String title() {
        return experiment + ": are the models different? " + selection.describe();
    }

    private List<String> rankedNote() {
        return List.of("ranked on the " + m.rankedDatasets().size() + " datasets every model has a result on: "
                + String.join(", ", m.rankedDatasets()) + dropped());
    }

    private String dropped() {
        List<String> out = m.datasets().stream().filter(d -> !m.rankedDatasets().contains(d)).toList();
        return out.isEmpty() ? "" : "; left out: " + String.join(", ", out);
    }

    private String familyWords() {
        return m.significance().family() == Comparison.Family.ALL_PAIRS ? "every pair"
                : "each model against the best-ranked (" + m.significance().models().get(m.significance().ranks().best()) + ")";
    }

    private double alpha() {
        return m.significance().nemenyi().alpha();
    }

    private Table comparisons() {
        AcrossDatasets s = m.significance();
        Table t = new Table("MODEL", "VS", "W+", "W-", "P", "P (HOLM)", "DIFFERENT").alignRight(2, 3, 4, 5);
        for (Comparison c : s.comparisons()) {
            t.row(s.models().get(c.first()), s.models().get(c.second()), Numbers.format(c.test().rankSumPositive()),
                    Numbers.format(c.test().rankSumNegative()), String.format(Locale.ROOT, "%.4f", c.pValue()),
                    String.format(Locale.ROOT, "%.4f", c.adjustedP()), c.significant() ? "yes" : "no");
        }
        return t;
    }

    private Table ranks() {
        AcrossDatasets s = m.significance();
        Table t = new Table("MODEL", "AVG RANK").alignRight(1);
        double[] avg = s.ranks().average();
        Integer[] order = s.diagram().byRank();
        for (int i : order) {
            t.row(s.models().get(i), String.format(Locale.ROOT, "%.2f", avg[i]));
        }
        return t;
    }

    @Override
    public void table(PrintWriter out, Screen screen) {
        screen.wrap(title()).forEach(out::println);
        String why = untestable(m);
        if (why != null) {
            screen.wrap(why).forEach(out::println);
            return;
        }
        rankedNote().forEach(n -> screen.wrap(n).forEach(out::println));
        out.println();
        screen.wrap(friedmanLine(m, alpha())).forEach(out::println);
        out.println();
        // Unicode like every table here (± and the progress bars): the ASCII form is for callers that need it
        out.print(CdDiagramText.render(m.significance().diagram(), screen.width(), true));
        out.println();
        screen.wrap("Wilcoxon signed-rank tests of " + familyWords() + ", Holm-corrected (alpha = " + alpha(alpha())
                + "; W+ sums the ranks of datasets where MODEL scores higher):").forEach(out::println);
        comparisons().print(out, screen.painter());
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + title() + "**");
        out.println();
        String why = untestable(m);
        if (why != null) {
            out.println(why);
            return;
        }
        out.println(rankedNote().get(0));
        out.println();
        out.println(friedmanLine(m, alpha()));
        out.println();
        ranks().printMarkdown(out);
        out.println();
        out.println(m.significance().diagram().caption(true) + ". Groups the Nemenyi test cannot tell apart: " + cliques() + ".");
        out.println();
        out.println("Wilcoxon signed-rank tests of " + familyWords() + ", Holm-corrected:");
        out.println();
        comparisons().printMarkdown(out);
    }

    private String cliques() {
        List<String> groups = new ArrayList<>();
        for (Clique c : m.significance().cliques()) {
            groups.add("{" + String.join(", ", c.models().stream().map(i -> m.significance().models().get(i)).toList()) + "}");
        }
        return groups.isEmpty() ? "none (every pair differs by at least CD)" : String.join(", ", groups);
    }

    /** Why there is no test to show (too few models or datasets), or null. */
    public String untestable() {
        return untestable(m);
    }

    /** The CD diagram as a standalone SVG document (when {@link #untestable()} is null). */
    @Override
    public void svg(PrintWriter out) {
        if (untestable() != null) {
            throw new IllegalStateException("no critical-difference diagram: " + untestable());
        }
        out.print(CdDiagramSvg.render(m.significance().diagram()));
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        out.put("shows", selection.describe());
        out.put("higherIsBetter", m.higherIsBetter());
        out.putAll(json(m));
        return out;
    }

    /** The tests as JSON: also part of the matrix's JSON. */
    static Map<String, Object> json(Matrix.Result m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rankedDatasets", m.rankedDatasets());
        AcrossDatasets s = m.significance();
        if (s == null) {
            out.put("significance", null);
            out.put("untestable", untestable(m));
            return out;
        }
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("models", s.models());
        Map<String, Object> ranks = new LinkedHashMap<>();
        for (int i = 0; i < s.models().size(); i++) {
            ranks.put(s.models().get(i), s.ranks().average()[i]);
        }
        sig.put("averageRanks", ranks);
        var f = s.friedman();
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("chiSquare", f.chiSquare());
        fm.put("p", f.pValue());
        fm.put("imanDavenportF", Double.isInfinite(f.f()) ? null : f.f());
        fm.put("df1", f.dfModels());
        fm.put("df2", f.dfResidual());
        fm.put("pF", f.fPValue());
        fm.put("tieCorrected", f.ties().name().equals("CORRECTED"));
        sig.put("friedman", fm);
        Map<String, Object> nm = new LinkedHashMap<>();
        nm.put("alpha", s.nemenyi().alpha());
        nm.put("q", s.nemenyi().qAlpha());
        nm.put("criticalDifference", s.nemenyi().criticalDifference());
        sig.put("nemenyi", nm);
        List<Object> cliques = new ArrayList<>();
        for (Clique c : s.cliques()) {
            cliques.add(c.models().stream().map(i -> s.models().get(i)).toList());
        }
        sig.put("cliques", cliques);
        sig.put("family", s.family() == Comparison.Family.ALL_PAIRS ? "all-pairs" : "against-best");
        List<Object> comparisons = new ArrayList<>();
        for (Comparison c : s.comparisons()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("model", s.models().get(c.first()));
            cm.put("versus", s.models().get(c.second()));
            cm.put("wPlus", c.test().rankSumPositive());
            cm.put("wMinus", c.test().rankSumNegative());
            cm.put("p", c.pValue());
            cm.put("pHolm", c.adjustedP());
            cm.put("significant", c.significant());
            cm.put("method", c.test().method().name().toLowerCase(Locale.ROOT));
            comparisons.add(cm);
        }
        sig.put("comparisons", comparisons);
        out.put("significance", sig);
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        d.row("model", "versus", "w_plus", "w_minus", "p", "p_holm", "significant", "rank_model", "rank_versus");
        AcrossDatasets s = m.significance();
        if (s == null) {
            return;
        }
        for (Comparison c : s.comparisons()) {
            d.row(s.models().get(c.first()), s.models().get(c.second()), c.test().rankSumPositive(), c.test().rankSumNegative(),
                    c.pValue(), c.adjustedP(), c.significant(), s.ranks().average()[c.first()], s.ranks().average()[c.second()]);
        }
    }
}
