package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tracker.report.Matrix.Agg;
import tracker.report.Matrix.CellInput;
import tracker.report.Matrix.Outcome;

class MatrixTest {
    static Outcome ok(int trial, int rep, double v) {
        return new Outcome(trial, rep, "completed", v);
    }

    static CellInput cell(String m, String d, long total, Outcome... o) {
        return new CellInput(m, d, total, List.of(o));
    }

    @Test
    void a_cell_is_its_best_configuration_as_mean_and_std_over_replicates() {
        Matrix.Result r = Matrix.compute(List.of("a"), List.of("x"), List.of(cell("a", "x", 4,
                ok(0, 0, 0.80), ok(0, 1, 0.90), ok(1, 0, 0.70), ok(1, 1, 0.72))), true, Agg.best);
        Matrix.Cell c = r.cell("a", "x");
        assertThat(c.mean()).isCloseTo(0.85, within(1e-12));
        assertThat(c.std()).isCloseTo(Math.sqrt(0.005), within(1e-12)); // sample std of 0.8, 0.9
        assertThat(c.trial()).isZero();
        assertThat(c.n()).isEqualTo(2);
        assertThat(c.complete()).isTrue();

        Matrix.Result min = Matrix.compute(List.of("a"), List.of("x"), List.of(cell("a", "x", 4,
                ok(0, 0, 0.80), ok(0, 1, 0.90), ok(1, 0, 0.70), ok(1, 1, 0.72))), false, Agg.best);
        assertThat(min.cell("a", "x").trial()).as("minimize picks the lowest mean").isEqualTo(1);
        assertThat(Matrix.compute(List.of("a"), List.of("x"), List.of(cell("a", "x", 4, ok(0, 0, 0.8), ok(0, 1, 0.9),
                ok(1, 0, 0.7), ok(1, 1, 0.72))), true, Agg.mean).cell("a", "x").mean()).isCloseTo((0.85 + 0.71) / 2, within(1e-12));
    }

    @Test
    void ranks_average_ties_and_wins_count_every_best() {
        List<CellInput> in = new ArrayList<>();
        in.add(cell("a", "x", 1, ok(0, 0, 0.9)));
        in.add(cell("b", "x", 1, ok(0, 0, 0.9)));
        in.add(cell("c", "x", 1, ok(0, 0, 0.5)));
        in.add(cell("a", "y", 1, ok(0, 0, 0.1)));
        in.add(cell("b", "y", 1, ok(0, 0, 0.3)));
        in.add(cell("c", "y", 1, ok(0, 0, 0.2)));
        Matrix.Result r = Matrix.compute(List.of("a", "b", "c"), List.of("x", "y"), in, true, Agg.best);
        assertThat(r.cell("a", "x").best()).isTrue();
        assertThat(r.cell("b", "x").best()).isTrue();
        assertThat(r.cell("c", "x").best()).isFalse();
        assertThat(r.cell("b", "y").best()).isTrue();
        assertThat(r.ranks()).extracting(Matrix.Rank::model, Matrix.Rank::averageRank, Matrix.Rank::wins).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", (1.5 + 3) / 2, 1),
                org.assertj.core.groups.Tuple.tuple("b", (1.5 + 1) / 2, 2),
                org.assertj.core.groups.Tuple.tuple("c", (3 + 2) / 2.0, 0));
    }

    @Test
    void nan_failed_missing_and_in_flight_cells_say_so() {
        List<CellInput> in = new ArrayList<>();
        in.add(cell("a", "x", 3, ok(0, 0, Double.NaN), ok(1, 0, 0.4)));
        in.add(cell("a", "y", 2, new Outcome(0, 0, "failed", null), new Outcome(1, 0, "failed", null)));
        in.add(cell("a", "z", 5));
        in.add(cell("b", "x", 1, new Outcome(0, 0, "completed", null)));
        Matrix.Result r = Matrix.compute(List.of("a", "b"), List.of("x", "y", "z"), in, true, Agg.best);
        Matrix.Cell ax = r.cell("a", "x");
        assertThat(ax.mean()).as("NaN is not a result").isEqualTo(0.4);
        assertThat(ax.complete()).isFalse();
        assertThat(ax.done()).isEqualTo(2);
        assertThat(r.cell("a", "y").onlyFailures()).isTrue();
        assertThat(r.cell("a", "z").mean()).isNull();
        assertThat(r.cell("a", "z").done()).isZero();
        assertThat(r.cell("b", "x").mean()).as("completed without the objective is never ranked").isNull();
        assertThat(r.cell("b", "y")).as("b does not run on y").isNull();
        assertThat(r.ranks().get(1).averageRank()).isNull();
        assertThat(r.cell("a", "x").best()).isTrue();
    }

    @Test
    void a_single_replicate_has_no_spread() {
        Matrix.Result r = Matrix.compute(List.of("a"), List.of("x"), List.of(cell("a", "x", 1, ok(0, 0, 0.5))), true, Agg.best);
        assertThat(r.cell("a", "x").std()).isZero();
        assertThat(r.cell("a", "x").n()).isEqualTo(1);
    }

    @Test
    void ranks_are_taken_only_over_the_datasets_every_compared_model_has() {
        List<CellInput> in = new ArrayList<>();
        in.add(cell("a", "x", 1, ok(0, 0, 0.9)));
        in.add(cell("b", "x", 1, ok(0, 0, 0.8)));
        in.add(cell("a", "y", 1, ok(0, 0, 0.7)));
        in.add(cell("b", "y", 1, ok(0, 0, 0.6)));
        in.add(cell("a", "z", 1, ok(0, 0, 0.1))); // b has no result on z: a's worst dataset must not count
        in.add(cell("b", "z", 1));
        Matrix.Result r = Matrix.compute(List.of("a", "b"), List.of("x", "y", "z"), in, true, Agg.best);
        assertThat(r.rankedDatasets()).containsExactly("x", "y");
        assertThat(r.ranks()).extracting(Matrix.Rank::averageRank).containsExactly(1.0, 2.0);
        assertThat(r.ranks()).extracting(Matrix.Rank::datasets).containsExactly(2, 2);
        assertThat(r.ranks()).extracting(Matrix.Rank::wins).as("wins count every dataset").containsExactly(3, 0);
    }

    @Test
    void a_model_not_significantly_worse_than_the_best_is_a_tie_and_one_replicate_is_untested() {
        List<CellInput> in = new ArrayList<>();
        // a: 0.90, 0.80 (best, mean 0.85); b: 0.84, 0.82: Welch p = 0.758 (scipy.stats.ttest_ind(b, a,
        // equal_var=False)) -> not worse; c: 0.10, 0.11: p = 0.041 -> worse; d: a single replicate -> untested
        in.add(cell("a", "x", 2, ok(0, 0, 0.90), ok(0, 1, 0.80)));
        in.add(cell("b", "x", 2, ok(0, 0, 0.84), ok(0, 1, 0.82)));
        in.add(cell("c", "x", 2, ok(0, 0, 0.10), ok(0, 1, 0.11)));
        in.add(cell("d", "x", 1, ok(0, 0, 0.85)));
        Matrix.Result r = Matrix.compute(List.of("a", "b", "c", "d"), List.of("x"), in, true, Agg.best);
        assertThat(r.cell("a", "x").verdict()).isEqualTo(tracker.report.stats.ReplicateTies.Verdict.BEST);
        assertThat(r.cell("b", "x").tie()).isTrue();
        assertThat(r.cell("c", "x").verdict()).isEqualTo(tracker.report.stats.ReplicateTies.Verdict.WORSE);
        assertThat(r.cell("d", "x").verdict()).isEqualTo(tracker.report.stats.ReplicateTies.Verdict.UNTESTED);
        assertThat(r.cell("d", "x").tie()).isFalse();
        assertThat(r.significance()).as("one dataset: nothing to test across datasets").isNull();
    }

    @Test
    void a_pruned_run_counts_as_done_but_never_chooses_or_makes_a_cells_value() {
        // trial 0 was pruned at a better value than anything trial 1 completed with
        CellInput in = cell("a", "x", 3, new Outcome(0, 0, "pruned", 0.99), ok(1, 0, 0.8), ok(1, 1, 0.6));
        for (Agg agg : Agg.values()) {
            Matrix.Cell c = Matrix.compute(List.of("a"), List.of("x"), List.of(in), true, agg).cell("a", "x");
            assertThat(c.mean()).as(agg.name()).isCloseTo(0.7, within(1e-12));
            assertThat(c.done()).isEqualTo(3);
            assertThat(c.failed()).isZero();
        }
        assertThat(Matrix.chosenTrial(in, true, Agg.best)).isEqualTo(1);
        assertThat(Matrix.chosenTrial(cell("a", "x", 1, new Outcome(0, 0, "pruned", 0.99)), true, Agg.best))
                .as("only pruned runs: no configuration yet").isNull();
    }
}
