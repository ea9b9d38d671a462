package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tracker.output.Painter;
import tracker.output.Screen;

class MatrixReportTest {
    /** {@code models} x {@code datasets}, every cell complete with one value. */
    static MatrixReport report(int models, int datasets) {
        List<String> ms = new ArrayList<>();
        List<String> ds = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            ms.add("model" + m);
        }
        for (int d = 0; d < datasets; d++) {
            ds.add("dataset" + d);
        }
        List<Matrix.CellInput> in = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            for (int d = 0; d < datasets; d++) {
                in.add(new Matrix.CellInput(ms.get(m), ds.get(d), 2, List.of(new Matrix.Outcome(0, 0, "completed", 0.5 + m * 0.01),
                        new Matrix.Outcome(0, 1, "completed", 0.6 + d * 0.01))));
            }
        }
        return new MatrixReport("e@1", Selection.byObjective(new Selection.Objective("val", "acc", true)),
                Matrix.compute(ms, ds, in, true, Matrix.Agg.best));
    }

    static String table(MatrixReport r, int width) {
        StringWriter out = new StringWriter();
        r.table(new PrintWriter(out), new Screen(width, Painter.PLAIN));
        return out.toString();
    }

    @Test
    void a_matrix_that_fits_has_models_as_rows() {
        String t = table(report(2, 3), 200);
        assertThat(t).contains("MODEL          dataset0         dataset1         dataset2  AVG RANK  WINS");
        assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(200));
    }

    @Test
    void too_wide_for_the_terminal_it_is_transposed_when_that_fits() {
        String t = table(report(2, 6), 60);
        assertThat(t).contains("DATASET            model0           model1").containsPattern("\nAVG RANK +2\\.00 +1\\.00\n")
                .containsPattern("\nWINS +0 +6\n").doesNotContain("MODEL ");
        assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void too_wide_either_way_it_wraps_the_datasets_into_blocks_that_repeat_the_models() {
        String t = table(report(4, 6), 60);
        List<String> headers = t.lines().filter(l -> l.startsWith("MODEL")).toList();
        assertThat(headers).hasSizeGreaterThan(1);
        assertThat(String.join(" ", headers)).contains("dataset0", "dataset5", "AVG RANK", "WINS");
        assertThat(t.lines().filter(l -> l.startsWith("model3")).count()).isEqualTo(headers.size());
        assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void marks_are_painted_without_moving_columns() {
        StringWriter out = new StringWriter();
        report(2, 2).table(new PrintWriter(out), new Screen(200, (mark, text) -> "<" + mark + ">" + text + "</>"));
        assertThat(out.toString()).contains("<BEST>0.555 ± 0.064 *</>").contains("model0  0.550 ± 0.071 ~  0.555 ± 0.078 ~");
        assertThat(out.toString().replaceAll("</?[A-Z_]*>", "")).isEqualTo(table(report(2, 2), 200));
    }
}
