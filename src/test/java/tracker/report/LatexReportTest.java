package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tracker.report.Matrix.CellInput;
import tracker.report.Matrix.Outcome;

/** -o latex of the matrix, the diff and the leaderboard: escaping, marks, and documents LaTeX can read. */
class LatexReportTest {
    static final Selection ACC = Selection.byObjective(new Selection.Objective("val", "acc", true));

    static String latex(Report.Latex report) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        report.latex(w);
        w.flush();
        return out.toString();
    }

    static Outcome ok(int trial, int rep, double v) {
        return new Outcome(trial, rep, "completed", v);
    }

    @Test
    void escape_makes_every_special_character_print_as_itself() {
        assertThat(LatexTable.escape("a_b & c% $5 #1 {x} ~y ^z \\w")).isEqualTo(
                "a\\_b \\& c\\% \\$5 \\#1 \\{x\\} \\textasciitilde{}y \\textasciicircum{}z \\textbackslash{}w");
        assertThat(LatexTable.escape("0.5 ± 0.1")).isEqualTo("0.5 $\\pm$ 0.1");
        assertThat(LatexTable.escape("two\nlines")).isEqualTo("two lines");
        assertThat(LatexTable.escape("plain-name.v2")).isEqualTo("plain-name.v2");
        assertThat(LatexTable.label("exp_$1@2")).isEqualTo("exp-1-2");
        assertThat(LatexTable.label("a@1 vs b@2")).isEqualTo("a-1-vs-b-2");
        assertThat(LatexTable.label("{}")).isEqualTo("tracker");
    }

    @Test
    void numbers_are_set_as_the_table_view_rounds_them_with_true_minus_signs() {
        assertThat(LatexTable.number(0.91349)).isEqualTo("0.913");
        assertThat(LatexTable.number(-0.5)).isEqualTo("$-$0.500");
        assertThat(LatexTable.number(12345.0)).isEqualTo("1.23$\\times 10^{4}$");
        assertThat(LatexTable.number(0.0000123)).isEqualTo("1.23$\\times 10^{-5}$");
        assertThat(LatexTable.number(Double.NEGATIVE_INFINITY)).isEqualTo("$-\\infty$");
        assertThat(LatexTable.number(Double.NaN)).isEqualTo("NaN");
        assertThat(LatexTable.meanStd(0.913, 0.012, 3)).isEqualTo("0.913 $\\pm$ 0.012");
        assertThat(LatexTable.meanStd(0.913, 0, 1)).as("one replicate: no spread to show").isEqualTo("0.913");
        assertThat(LatexTable.signed(0.125)).isEqualTo("+0.125");
        assertThat(LatexTable.signed(-0.125)).isEqualTo("$-$0.125");
    }

    /**
     * On {@code #1 {set}}: a_b (.9 .8) is best; c&d (.84 .82) is within the spread (Welch p ~ .8), so
     * underlined; x%y (.1 .11) is far worse. On {@code t~^\}: a_b has 2 of 3 runs; c&d none of 2;
     * x%y does not run there.
     */
    static MatrixReport nastyMatrix() {
        List<String> models = List.of("a_b", "c&d", "x%y");
        List<String> datasets = List.of("#1 {set}", "t~^\\");
        List<CellInput> in = List.of(
                new CellInput("a_b", "#1 {set}", 2, List.of(ok(0, 0, 0.9), ok(0, 1, 0.8))),
                new CellInput("c&d", "#1 {set}", 2, List.of(ok(0, 0, 0.84), ok(0, 1, 0.82))),
                new CellInput("x%y", "#1 {set}", 2, List.of(ok(0, 0, 0.1), ok(0, 1, 0.11))),
                new CellInput("a_b", "t~^\\", 3, List.of(ok(0, 0, 0.5), ok(0, 1, 0.7))),
                new CellInput("c&d", "t~^\\", 2, List.of()));
        return new MatrixReport("exp_$1@2", ACC, Matrix.compute(models, datasets, in, true, Matrix.Agg.best));
    }

    @Test
    void matrix_escapes_names_and_marks_best_bold_ties_underlined_incomplete_with_a_dagger() {
        String out = latex(nastyMatrix());
        LatexStructure.assertSound(out);
        assertThat(out).contains("Model & \\#1 \\{set\\} & t\\textasciitilde{}\\textasciicircum{}\\textbackslash{} & Avg.\\ rank \\\\\n");
        assertThat(out).contains("a\\_b & \\textbf{0.850 $\\pm$ 0.071} & \\textbf{0.600 $\\pm$ 0.141}$^\\dagger$ & 1.00 \\\\\n");
        assertThat(out).contains("c\\&d & \\underline{0.830 $\\pm$ 0.014} & --$^\\dagger$ & 2.00 \\\\\n");
        assertThat(out).contains("x\\%y & 0.105 $\\pm$ 0.007 &  & 3.00 \\\\\n");
        assertThat(out).contains("\\caption[{exp\\_\\$1@2: val.acc (maximize): best configuration by its mean");
        assertThat(out).contains("\\label{tab:exp-1-2}");
        assertThat(out).contains("Underlined: not significantly worse than the best (Welch's t-test over replicates, $p \\geq 0.05$)");
        assertThat(out).contains("a\\_b on t\\textasciitilde{}\\textasciicircum{}\\textbackslash{} 2 of 3, c\\&d on t");
        assertThat(out).contains("over the dataset every model has a result on (\\#1 \\{set\\}); not ranked: t");
        assertThat(out).contains("Blank: the model does not run on the dataset");
        assertThat(out).as("no Friedman test on one ranked dataset").doesNotContain("Friedman");
    }

    @Test
    void a_matrix_of_many_datasets_stays_one_sound_tabular() {
        String out = latex(MatrixReportTest.report(4, 24));
        LatexStructure.assertSound(out);
        assertThat(out).contains("\\begin{tabular}{l" + "r".repeat(25) + "}");
        assertThat(out).contains("\\resizebox{\\linewidth}{!}");
        assertThat(out).as("every dataset ranks the models alike: F_F is infinite, the verdict is the chi-square's")
                .contains("Friedman test over 24 datasets: $\\chi^2_F = 72.00$, $p < 0.001$; Iman-Davenport $F_F(3, 69) = \\infty$")
                .contains("the models differ at $\\alpha = 0.05$");
        assertThat(out).doesNotContain("too few datasets");
    }

    @Test
    void the_caption_names_datasets_left_out_of_a_comparison_of_experiments() {
        MatrixReport r = nastyMatrix();
        String out = latex(new MatrixReport("a@1 vs b@1", ACC, r.result(), List.of("only_a", "only&b"), null, 0.05));
        LatexStructure.assertSound(out);
        assertThat(out).contains("Left out (not in every experiment): only\\_a, only\\&b")
                .contains("\\label{tab:a-1-vs-b-1}");
    }

    @Test
    void diff_signs_every_delta_and_bolds_the_significant_ones() {
        List<String> models = List.of("m_1", "m&2");
        List<String> datasets = List.of("d_x", "d%y");
        List<CellInput> first = List.of(
                new CellInput("m_1", "d_x", 2, List.of(ok(0, 0, 0.5), ok(0, 1, 0.5))),
                new CellInput("m_1", "d%y", 2, List.of(ok(0, 0, 0.5), ok(0, 1, 0.5))),
                new CellInput("m&2", "d_x", 2, List.of(ok(0, 0, 0.5), ok(0, 1, 0.5))));
        List<CellInput> second = List.of(
                new CellInput("m_1", "d_x", 2, List.of(ok(0, 0, 0.75), ok(0, 1, 0.75))),
                new CellInput("m_1", "d%y", 2, List.of(ok(0, 0, 0.375), ok(0, 1, 0.375))),
                new CellInput("m&2", "d_x", 2, List.of()));
        Matrix.Result a = Matrix.compute(models, datasets, first, true, Matrix.Agg.best);
        Matrix.Result b = Matrix.compute(models, datasets, second, true, Matrix.Agg.best);
        // a stand-in test: the first cell's difference is significant, the second's is not
        Diff.Result d = Diff.compute("e_1@1", a, "e_1@2", b, 0.05, (x, y) -> y.get(0) > x.get(0) ? 0.001 : 0.4);
        String out = latex(new DiffReport(ACC, d, "Welch's t-test"));
        LatexStructure.assertSound(out);
        assertThat(out).contains("Model & d\\_x & d\\%y & Better/worse \\\\\n");
        assertThat(out).contains("m\\_1 & \\textbf{+0.250} & $-$0.125 & 1/0 \\\\\n");
        assertThat(out).contains("m\\&2 & -- &  & 0/0 \\\\\n");
        assertThat(out).contains("\\caption[{e\\_1@2 minus e\\_1@1, per model and dataset: val.acc (maximize)");
        assertThat(out).contains("Bold: the replicates of the two differ significantly (Welch's t-test over replicates, two-sided, "
                + "$p < 0.05$)");
        assertThat(out).contains("Positive: e\\_1@2 higher (better)");
        assertThat(out).contains("\\label{tab:e-1-2-minus-e-1-1}");
    }

    @Test
    void leaderboard_bolds_each_cells_best_and_types_parameters_escaped() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr_max", 0.001);
        params.put("opt", "adam&w");
        List<LeaderboardReport.Row> rows = new ArrayList<>();
        rows.add(new LeaderboardReport.Row(new Leaderboard.Entry("m_1", "d_x", 1, 0, 0.9, 0.01, 2, 0), "r0", params,
                new LeaderboardReport.Shown("test.acc", 0.88, 0.02, 2)));
        rows.add(new LeaderboardReport.Row(new Leaderboard.Entry("m_1", "d_x", 2, 1, -0.5, 0.01, 2, 2), "r2", Map.of(),
                new LeaderboardReport.Shown("test.acc", null, null, 0)));
        rows.add(new LeaderboardReport.Row(new Leaderboard.Entry("m_1", "d_y", 1, 0, 0.7, 0, 1, 0), "r4", params,
                new LeaderboardReport.Shown("test.acc", 0.6, 0.0, 1)));
        String out = latex(new LeaderboardReport("e_1@1", "val.acc (maximize)", 5, rows, List.of("lr_max", "opt")));
        LatexStructure.assertSound(out);
        assertThat(out).contains("Rank & Model & Dataset & Objective & $n$ & test.acc & Parameters \\\\\n");
        assertThat(out).contains("1 & m\\_1 & d\\_x & \\textbf{0.900 $\\pm$ 0.010} & 2 & 0.880 $\\pm$ 0.020 & "
                + "\\texttt{lr\\_max=0.001 opt=adam\\&w} \\\\\n"
                + "2 & m\\_1 & d\\_x & $-$0.500 $\\pm$ 0.010 & 2 & -- & -- \\\\\n\\addlinespace\n"
                + "1 & m\\_1 & d\\_y & \\textbf{0.700} & 1 & 0.600 & ");
        assertThat(out).contains("\\label{tab:e-1-1-leaderboard}");
    }

    @Test
    void the_structure_check_catches_what_latex_would_reject() {
        String good = latex(nastyMatrix());
        LatexStructure.assertSound(good);
        List<String> broken = List.of(
                good.replace("a\\_b &", "a_b &"),                        // _ outside math
                good.replace("\\textbf{0.850", "\\textbf{{0.850"),       // a brace left open
                good.replace("\\end{tabular}", "\\end{table}"),         // environments crossed
                good.replace("c\\&d &", "c&d &"),                        // a row with a cell too many
                good.replace("$\\pm$ 0.014", "$\\pm 0.014"),            // math left open
                good.replace("Bold: the best", "Bold: 50% the best"));   // a comment cutting the caption
        for (String b : broken) {
            assertThatThrownBy(() -> LatexStructure.assertSound(b)).as(b).isInstanceOf(AssertionError.class);
        }
    }
}
