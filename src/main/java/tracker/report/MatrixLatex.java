package tracker.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tracker.report.stats.Friedman;
import tracker.report.stats.ReplicateTies;

/**
 * The matrix as a table for a paper: a row per model, a column per dataset, then the average rank;
 * cells {@code mean $\pm$ std}, the best of each dataset bold, the models not significantly worse
 * underlined, incomplete cells marked with a dagger. The caption carries everything a reader needs
 * to check a number or a mark: the selection, the direction, the test and its level, the datasets
 * the ranks are over, the Friedman test, and which cells are incomplete.
 */
final class MatrixLatex {
    /** Incomplete cells named in the caption; beyond these, only how many more. */
    private static final int LISTED = 6;

    private final String experiment;
    private final String describe;
    private final Matrix.Result m;
    private final List<String> notShared;
    private final double alpha;

    /** @param describe what a cell holds, in the matrix view's words */
    MatrixLatex(String experiment, String describe, Matrix.Result m, List<String> notShared, double alpha) {
        this.experiment = experiment;
        this.describe = describe;
        this.m = m;
        this.notShared = notShared;
        this.alpha = alpha;
    }

    void print(PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("Model"));
        m.datasets().forEach(d -> header.add(LatexTable.escape(d)));
        header.add("Avg.\\ rank");
        LatexTable table = new LatexTable("matrix of " + experiment, caption(), experiment, "l" + "r".repeat(m.datasets().size() + 1),
                header);
        for (Matrix.Rank r : m.ranks()) {
            List<String> row = new ArrayList<>(List.of(LatexTable.escape(r.model())));
            m.datasets().forEach(d -> row.add(cell(m.cell(r.model(), d))));
            row.add(LatexTable.rank(r.averageRank()));
            table.row(row);
        }
        table.print(out);
    }

    static String cell(Matrix.Cell c) {
        if (c == null) {
            return ""; // the model does not run on the dataset
        }
        String value = c.mean() == null ? "--" : LatexTable.meanStd(c.mean(), c.std(), c.n());
        if (c.best()) {
            value = LatexTable.bold(value);
        } else if (c.tie()) {
            value = LatexTable.underline(value);
        }
        return value + (c.complete() ? "" : LatexTable.DAGGER);
    }

    private List<String> caption() {
        List<String> sentences = new ArrayList<>();
        sentences.add(LatexTable.escape(experiment + ": " + describe));
        sentences.add(LatexTable.STD);
        sentences.add("Bold: the best on the dataset (the " + (m.higherIsBetter() ? "highest" : "lowest")
                + " unrounded value; every model that reaches it)");
        if (m.agg() == Matrix.Agg.best || m.agg() == Matrix.Agg.last) {
            boolean untested = m.cells().values().stream().anyMatch(c -> c.verdict() == ReplicateTies.Verdict.UNTESTED);
            sentences.add("Underlined: not significantly worse than the best (" + ReplicateTies.METHOD + " over replicates, $p \\geq "
                    + SignificanceReport.alpha(alpha) + "$" + (untested ? "; fewer than 2 replicates: not tested, not marked" : "") + ")");
        }
        sentences.add(ranks());
        if (m.significance() != null) {
            sentences.add(friedman(m.significance().friedman()));
        }
        if (!notShared.isEmpty()) {
            sentences.add("Left out (not in every experiment): " + LatexTable.escape(String.join(", ", notShared)));
        }
        String incomplete = incomplete();
        if (incomplete != null) {
            sentences.add(incomplete);
        }
        if (m.cells().values().stream().anyMatch(c -> c.mean() == null)) {
            sentences.add("--: no finished run with a value");
        }
        if (m.cells().size() < m.models().size() * m.datasets().size()) {
            sentences.add("Blank: the model does not run on the dataset");
        }
        return sentences;
    }

    private String ranks() {
        if (m.compared().isEmpty()) {
            return "Avg.\\ rank: none (no model has a result yet)";
        }
        if (m.rankedDatasets().isEmpty()) {
            return "Avg.\\ rank: none (no dataset has a result of every model)";
        }
        List<String> unranked = m.datasets().stream().filter(d -> !m.rankedDatasets().contains(d)).toList();
        int n = m.rankedDatasets().size();
        return "Avg.\\ rank: 1 = best, ties averaged, over the " + (n == 1 ? "dataset" : n + " datasets") + " every model has a result on ("
                + LatexTable.escape(String.join(", ", m.rankedDatasets())) + ")"
                + (unranked.isEmpty() ? "" : "; not ranked: " + LatexTable.escape(String.join(", ", unranked)));
    }

    /** Both statistics with their p-values, and the verdict by the one {@link SignificanceReport} uses. */
    private String friedman(Friedman f) {
        double p = f.verdictPValue();
        String fText = Double.isInfinite(f.f()) ? "\\infty" : String.format(Locale.ROOT, "%.2f", f.f());
        return String.format(Locale.ROOT,
                "Friedman test over %d datasets: $\\chi^2_F = %.2f$, %s; Iman-Davenport $F_F(%d, %d) = %s$, %s: %s",
                f.datasets(), f.chiSquare(), p(f.pValue()), f.dfModels(), f.dfResidual(), fText, p(f.fPValue()),
                (p < alpha ? "the models differ" : "no significant difference among the models") + " at $\\alpha = "
                        + SignificanceReport.alpha(alpha) + "$")
                + (f.datasets() < 5 ? "; too few datasets for the test to be reliable (Dem\\v{s}ar recommends more than 10)" : "");
    }

    private static String p(double p) {
        return p < 0.001 ? "$p < 0.001$" : String.format(Locale.ROOT, "$p = %.3f$", p);
    }

    /** The dagger's sentence, naming the incomplete cells with their runs done of planned; null when all are complete. */
    private String incomplete() {
        List<String> cells = new ArrayList<>();
        for (Matrix.Rank r : m.ranks()) {
            for (String d : m.datasets()) {
                Matrix.Cell c = m.cell(r.model(), d);
                if (c != null && !c.complete()) {
                    cells.add(LatexTable.escape(c.model() + " on " + c.dataset()) + " " + c.done() + " of " + c.total());
                }
            }
        }
        if (cells.isEmpty()) {
            return null;
        }
        String listed = String.join(", ", cells.subList(0, Math.min(LISTED, cells.size())))
                + (cells.size() > LISTED ? ", and " + (cells.size() - LISTED) + " more" : "");
        return LatexTable.DAGGER + ": not every planned run has finished (runs finished of planned: " + listed + ")";
    }
}
