package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class CurvesTest {
    private static Map<Long, Double> curve(double... values) {
        Map<Long, Double> m = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(i + 1L, values[i]);
        }
        return m;
    }

    @Test
    void each_epoch_is_the_mean_and_spread_of_the_replicates_that_reached_it() {
        List<Curves.Point> points = Curves.points(List.of(curve(0.5, 0.75, 0.875), curve(0.25, 0.5), curve(0.75, 1.0, 0.625)));
        assertThat(points).hasSize(3);
        Curves.Point first = points.get(0);
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(first.mean()).isEqualTo(0.5);
        assertThat(first.std()).isEqualTo(0.25); // sample std of .25 .5 .75
        assertThat(first.min()).isEqualTo(0.25);
        assertThat(first.max()).isEqualTo(0.75);
        assertThat(first.n()).isEqualTo(3);
        // the second replicate stopped after epoch 2: epoch 3 stands on the other two
        Curves.Point third = points.get(2);
        assertThat(third.n()).isEqualTo(2);
        assertThat(third.mean()).isEqualTo(0.75);
        assertThat(third.std()).isCloseTo(Math.sqrt(0.03125), within(1e-15));
        assertThat(Curves.fewer(points, 3)).containsExactly(3L);
    }

    @Test
    void non_finite_values_do_not_count_and_an_epoch_without_any_finite_value_has_no_point() {
        Map<Long, Double> a = curve(0.5, Double.NaN, Double.NaN);
        Map<Long, Double> b = curve(0.25, 0.5, Double.POSITIVE_INFINITY);
        List<Curves.Point> points = Curves.points(List.of(a, b));
        assertThat(points).extracting(Curves.Point::epoch).containsExactly(1L, 2L);
        assertThat(points.get(1).n()).isEqualTo(1);
        assertThat(points.get(1).std()).isZero(); // one value: no spread
        assertThat(points.get(1).min()).isEqualTo(0.5).isEqualTo(points.get(1).max());
    }

    @Test
    void epochs_need_not_start_at_one_or_be_consecutive() {
        Map<Long, Double> a = new TreeMap<>(Map.of(0L, 1.0, 10L, 3.0));
        Map<Long, Double> b = new TreeMap<>(Map.of(5L, 2.0, 10L, 5.0));
        assertThat(Curves.points(List.of(a, b))).extracting(Curves.Point::epoch).containsExactly(0L, 5L, 10L);
        assertThat(Curves.points(List.of())).isEmpty();
    }

    @Test
    void the_configuration_is_the_one_the_matrix_chooses_and_only_its_counted_replicates_stand_behind_the_curve() {
        List<Curves.Finished> finished = List.of(
                new Curves.Finished(0, 0, 0, "completed", 0.5),
                new Curves.Finished(1, 0, 1, "completed", 0.75),
                new Curves.Finished(2, 1, 0, "completed", 0.875),
                new Curves.Finished(3, 1, 1, "failed", null),
                new Curves.Finished(4, 1, 2, "completed", Double.NaN),
                new Curves.Finished(5, 1, 3, "completed", 0.625));
        Curves.Choice max = Curves.choose("m", "d", finished, true);
        Matrix.Cell cell = Matrix.cell(new Matrix.CellInput("m", "d", 6, finished.stream()
                .map(f -> new Matrix.Outcome(f.trial(), f.replicate(), f.status(), f.objective())).toList()), true, Matrix.Agg.best, null);
        assertThat(max.trial()).isEqualTo(cell.trial()).isEqualTo(1); // .75 beats .625
        assertThat(max.positions()).containsExactly(2, 5).hasSize(cell.n()); // not the failed run, not the NaN one

        Curves.Choice min = Curves.choose("m", "d", finished, false);
        assertThat(min.trial()).isEqualTo(0);
        assertThat(min.positions()).containsExactly(0, 1);
    }

    @Test
    void a_cell_without_a_value_has_no_configuration() {
        Curves.Choice none = Curves.choose("m", "d", List.of(new Curves.Finished(0, 0, 0, "failed", null)), true);
        assertThat(none.trial()).isNull();
        assertThat(none.positions()).isEmpty();
        assertThat(Curves.choose("m", "d", List.of(), true).trial()).isNull();
    }

    @Test
    void the_legend_says_which_epochs_stand_on_fewer_replicates() {
        List<Curves.Point> tail = Curves.points(List.of(curve(1, 2, 3), curve(1, 2)));
        assertThat(CurvesReport.legend(new Curves.Curve("m", 2, List.of("a", "b"), tail)))
                .isEqualTo("trial 2, 2 replicates (fewer from epoch 3)");
        List<Curves.Point> gap = Curves.points(List.of(curve(1, Double.NaN, 3), curve(1, 2, 3)));
        assertThat(CurvesReport.legend(new Curves.Curve("m", 0, List.of("a", "b"), gap)))
                .isEqualTo("trial 0, 2 replicates (fewer at epoch 2)");
        assertThat(CurvesReport.legend(new Curves.Curve("m", 0, List.of("a"), Curves.points(List.of(curve(1))))))
                .isEqualTo("trial 0, 1 replicate");
        assertThat(CurvesReport.legend(new Curves.Curve("m", null, List.of(), List.of()))).isEqualTo("no configuration with a value yet");
    }

    @Test
    void a_pruned_run_neither_chooses_the_curve_nor_stands_behind_it() {
        List<Curves.Finished> finished = List.of(
                new Curves.Finished(0, 0, 0, "pruned", 0.99),
                new Curves.Finished(1, 1, 0, "completed", 0.5),
                new Curves.Finished(2, 1, 1, "pruned", 0.9));
        Curves.Choice choice = Curves.choose("m", "d", finished, true);
        assertThat(choice.trial()).isEqualTo(1);
        assertThat(choice.positions()).containsExactly(1);
    }
}
