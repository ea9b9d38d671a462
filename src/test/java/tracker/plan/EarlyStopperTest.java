package tracker.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tracker.spec.Definition;
import tracker.spec.Definition.EarlyStopping;
import tracker.spec.Definition.Rule;

/** Rung decisions with known answers, worked out by hand from the rules' definitions. */
class EarlyStopperTest {
    static final EarlyStopping ASHA = new EarlyStopping(Rule.asha, 1, 3, 5);
    static final EarlyStopping MEDIAN = new EarlyStopping(Rule.median, 2, 3, 3);

    @Test
    void asha_rungs_are_min_epochs_times_powers_of_eta() {
        assertThat(List.of(1L, 2L, 3L, 4L, 8L, 9L, 10L, 26L, 27L, 28L, 81L).stream().filter(ASHA::judges).toList())
                .containsExactly(1L, 3L, 9L, 27L, 81L);
        EarlyStopping from4 = new EarlyStopping(Rule.asha, 4, 2, 5);
        assertThat(List.of(1L, 2L, 4L, 6L, 8L, 12L, 16L, 32L).stream().filter(from4::judges).toList()).containsExactly(4L, 8L, 16L, 32L);
        assertThat(MEDIAN.judges(1)).isFalse();
        assertThat(MEDIAN.judges(2)).isTrue();
        assertThat(MEDIAN.judges(7)).isTrue();
    }

    @Test
    void the_first_run_at_a_rung_goes_on_and_later_ones_must_be_among_the_best_third() {
        // Maximizing. Alone: the best of one.
        assertThat(EarlyStopper.judge(ASHA, true, 1, 0.5, List.of()).stop()).isFalse();
        // Two runs (fewer than eta): only the best goes on.
        assertThat(EarlyStopper.judge(ASHA, true, 1, 0.4, List.of(0.5)).stop()).isTrue();
        assertThat(EarlyStopper.judge(ASHA, true, 1, 0.6, List.of(0.5)).stop()).isFalse();
        // Equal to the bar goes on.
        assertThat(EarlyStopper.judge(ASHA, true, 1, 0.5, List.of(0.5)).stop()).isFalse();
        // Six runs: floor(6 / 3) = 2 go on - the bar is the second best, 0.8.
        List<Double> five = List.of(0.9, 0.8, 0.7, 0.2, 0.1);
        assertThat(EarlyStopper.judge(ASHA, true, 3, 0.85, five).stop()).isFalse();
        assertThat(EarlyStopper.judge(ASHA, true, 3, 0.8, five).stop()).isFalse();
        assertThat(EarlyStopper.judge(ASHA, true, 3, 0.75, five).stop()).isTrue();
        assertThat(EarlyStopper.judge(ASHA, true, 3, 0.75, five).reason())
                .isEqualTo("pruned at rung epoch 3: 0.750000 against 6 runs of the cell, the best 2 go on (bar 0.800000)");
        // Not a rung: not judged.
        assertThat(EarlyStopper.judge(ASHA, true, 2, 0.0, five)).isNull();
    }

    @Test
    void minimizing_mirrors_and_nan_is_the_worst_value() {
        List<Double> five = List.of(0.9, 0.8, 0.7, 0.2, 0.1);
        // Minimizing: the best two are 0.1 and 0.2; the bar is 0.2.
        assertThat(EarlyStopper.judge(ASHA, false, 9, 0.15, five).stop()).isFalse();
        assertThat(EarlyStopper.judge(ASHA, false, 9, 0.3, five).stop()).isTrue();
        assertThat(EarlyStopper.judge(ASHA, false, 9, Double.NaN, List.of()).stop()).as("alone, even NaN is the best so far").isFalse();
        assertThat(EarlyStopper.judge(ASHA, false, 9, Double.NaN, List.of(5.0)).stop()).isTrue();
        assertThat(EarlyStopper.judge(ASHA, true, 9, Double.NaN, List.of(-5.0)).stop()).isTrue();
        assertThat(EarlyStopper.judge(ASHA, true, 9, 0.1, List.of(Double.NaN)).stop()).isFalse();
    }

    @Test
    void median_waits_for_enough_runs_then_stops_the_worse_half() {
        assertThat(EarlyStopper.judge(MEDIAN, true, 2, 0.0, List.of(0.5, 0.6)).stop()).as("only 2 of the 3 runs it waits for").isFalse();
        // Others 0.5, 0.6, 0.7: median 0.6.
        assertThat(EarlyStopper.judge(MEDIAN, true, 2, 0.59, List.of(0.5, 0.6, 0.7)).stop()).isTrue();
        assertThat(EarlyStopper.judge(MEDIAN, true, 2, 0.6, List.of(0.5, 0.6, 0.7)).stop()).isFalse();
        // An even count: the mean of the middle two, (0.6 + 0.7) / 2 = 0.65.
        assertThat(EarlyStopper.judge(MEDIAN, true, 5, 0.64, List.of(0.5, 0.6, 0.7, 0.8)).stop()).isTrue();
        assertThat(EarlyStopper.judge(MEDIAN, true, 5, 0.66, List.of(0.5, 0.6, 0.7, 0.8)).stop()).isFalse();
        assertThat(EarlyStopper.judge(MEDIAN, false, 5, 0.64, List.of(0.5, 0.6, 0.7, 0.8)).stop()).isFalse();
        assertThat(EarlyStopper.judge(MEDIAN, true, 1, 0.0, List.of(0.5, 0.6, 0.7))).as("before min_epochs").isNull();
    }

    @Test
    void a_definitions_rule_is_what_the_parser_made() {
        Definition.Search s = new Definition.Search(Definition.Method.tpe, 10, 1, 0, 100, 1000, 4, true, ASHA);
        assertThat(s.adaptive()).isTrue();
        assertThat(new Definition.Search(Definition.Method.random, 10, 1, 0, 100, 1000).adaptive()).isFalse();
    }
}
