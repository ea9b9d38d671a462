package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import tracker.report.Leaderboard.CellInput;
import tracker.report.Leaderboard.Outcome;

class LeaderboardTest {
    static Outcome ok(int pos, int trial, double v) {
        return new Outcome(pos, trial, pos % 2, "completed", v);
    }

    static final CellInput AX = new CellInput("a", "x", List.of(
            ok(0, 0, 0.50), ok(1, 0, 1.00),           // trial 0: 0.75 ± 0.354
            ok(2, 1, 0.70), ok(3, 1, 0.72),           // trial 1: 0.71
            ok(4, 2, 0.75), ok(5, 2, Double.NaN),     // trial 2: 0.75 (NaN left out), n = 1: ties trial 0
            new Outcome(6, 3, 0, "failed", null), new Outcome(7, 3, 1, "completed", null))); // trial 3: nothing to rank
    static final CellInput BX = new CellInput("b", "x", List.of(ok(0, 0, 0.95), ok(1, 0, 0.97), ok(2, 1, 0.10)));

    @Test
    void per_cell_ranks_configurations_by_the_mean_of_their_replicates() {
        List<Leaderboard.Entry> top = Leaderboard.perCell(List.of(AX, BX), true, 2);
        assertThat(top).extracting(Leaderboard.Entry::model, Leaderboard.Entry::rank, Leaderboard.Entry::trial, Leaderboard.Entry::n,
                Leaderboard.Entry::pos).containsExactly(
                tuple("a", 1, 0, 2, 0), tuple("a", 1, 2, 1, 4),    // a tie shares the rank, trial order kept
                tuple("b", 1, 0, 2, 0), tuple("b", 2, 1, 1, 2));
        assertThat(top.get(0).mean()).isEqualTo(0.75);
        assertThat(top.get(0).std()).isCloseTo(Math.sqrt(0.125), within(1e-12));
        assertThat(top.get(1).std()).isZero();
    }

    @Test
    void minimize_puts_the_lowest_first() {
        assertThat(Leaderboard.perCell(List.of(AX), false, 1)).extracting(Leaderboard.Entry::trial).containsExactly(1);
    }

    static CellInput cell(String model, String dataset, double... trialMeans) {
        List<Outcome> outcomes = new java.util.ArrayList<>();
        for (int t = 0; t < trialMeans.length; t++) {
            outcomes.add(new Outcome(t, t, 0, "completed", trialMeans[t]));
        }
        return new CellInput(model, dataset, outcomes);
    }

    /**
     * Worked by hand. Scores of d2 are ten times those of d1: raw values would rank every d2
     * configuration above every d1 one. Configurations a0, a1, b0 (a has two trials, b one) on d1, d2,
     * d3; b does not run on d3. Maximize.
     * <pre>
     *        d1     d2    d3
     * a0    0.9    9.0   0.5     ranks 1.5, 1, 1.5 -> 4/3
     * a1    0.9    7.0   0.5     ranks 1.5, 3, 1.5 -> 2
     * b0    0.8    8.0    -      ranks 3,   2      -> 2.5 (2 of 3 datasets: listed last)
     * </pre>
     */
    static final List<CellInput> THREE_DATASETS = List.of(
            cell("a", "d1", 0.9, 0.9), cell("a", "d2", 9.0, 7.0), cell("a", "d3", 0.5, 0.5),
            cell("b", "d1", 0.8), cell("b", "d2", 8.0));

    @Test
    void overall_ranks_within_each_dataset_averages_tied_ranks_and_lists_fewer_datasets_last() {
        OverallLeaderboard.Result r = OverallLeaderboard.compute(List.of("d1", "d2", "d3"), THREE_DATASETS, true, 10);
        assertThat(r.datasets()).containsExactly("d1", "d2", "d3");
        assertThat(r.standings()).extracting(OverallLeaderboard.Standing::rank, OverallLeaderboard.Standing::model,
                OverallLeaderboard.Standing::trial, OverallLeaderboard.Standing::covered).containsExactly(
                tuple(1, "a", 0, 3), tuple(2, "a", 1, 3), tuple(3, "b", 0, 2));
        assertThat(r.standings()).extracting(OverallLeaderboard.Standing::meanRank).containsExactly(4.0 / 3, 2.0, 2.5);
        assertThat(r.partial()).isTrue();
        OverallLeaderboard.Standing a1 = r.standings().get(1);
        assertThat(a1.scores()).extracting(OverallLeaderboard.Score::dataset, OverallLeaderboard.Score::rank,
                OverallLeaderboard.Score::best).containsExactly(tuple("d1", 1.5, true), tuple("d2", 3.0, false), tuple("d3", 1.5, true));
        OverallLeaderboard.Standing b0 = r.standings().get(2);
        assertThat(b0.on("d3")).isNull();
        assertThat(b0.on("d2").mean()).isEqualTo(8.0);
        assertThat(b0.firstDataset()).isEqualTo("d1");
        // the run that names a configuration: its first dataset's run of that trial
        assertThat(a1.firstDataset()).isEqualTo("d1");
        assertThat(a1.pos()).isEqualTo(1);
    }

    @Test
    void overall_minimize_reverses_the_ranks_within_datasets_and_top_k_cuts() {
        // minimize: d1 b0 1, a0 and a1 2.5; d2 a1 1, b0 2, a0 3; d3 a0 and a1 1.5
        // a1: 2.5, 1, 1.5 -> 5/3; a0: 2.5, 3, 1.5 -> 7/3; b0 (2 of 3): 1, 2 -> 1.5, still last
        OverallLeaderboard.Result r = OverallLeaderboard.compute(List.of("d1", "d2", "d3"), THREE_DATASETS, false, 2);
        assertThat(r.standings()).extracting(OverallLeaderboard.Standing::model, OverallLeaderboard.Standing::trial,
                OverallLeaderboard.Standing::meanRank).containsExactly(tuple("a", 1, 5.0 / 3), tuple("a", 0, 7.0 / 3));
        assertThat(r.partial()).as("the configuration on fewer datasets is not among the top 2").isFalse();
    }

    @Test
    void overall_ties_share_the_rank_and_a_better_mean_rank_on_fewer_datasets_still_comes_after() {
        // d1: a0 1, b0 2; d2: b0 1, a0 2 -> both 1.5 over 2 datasets: tied, in model order.
        // c0 is best on d1 (rank 1 of 3) but has no value on d2: 1.0 over 1 dataset, listed last.
        // Where c0 takes rank 1 on d1, a0 and b0 move to ranks 2 and 3 there.
        List<CellInput> cells = List.of(cell("a", "d1", 0.7), cell("a", "d2", 0.1), cell("b", "d1", 0.6), cell("b", "d2", 0.2),
                cell("c", "d1", 0.8), new CellInput("c", "d2", List.of(new Outcome(0, 0, 0, "failed", null))),
                new CellInput("c", "d9", List.of(new Outcome(0, 0, 0, "completed", Double.NaN))));
        OverallLeaderboard.Result r = OverallLeaderboard.compute(List.of("d1", "d2"), cells, true, 5);
        assertThat(r.datasets()).as("a dataset without any value is not counted").containsExactly("d1", "d2");
        assertThat(r.standings()).extracting(OverallLeaderboard.Standing::rank, OverallLeaderboard.Standing::model,
                OverallLeaderboard.Standing::meanRank, OverallLeaderboard.Standing::covered).containsExactly(
                tuple(1, "a", 2.0, 2), tuple(1, "b", 2.0, 2), tuple(3, "c", 1.0, 1));
    }

    @Test
    void overall_has_no_standings_without_values() {
        OverallLeaderboard.Result r = OverallLeaderboard.compute(List.of("x"),
                List.of(new CellInput("c", "x", List.of(new Outcome(0, 0, 0, "failed", null)))), true, 5);
        assertThat(r.datasets()).isEmpty();
        assertThat(r.standings()).isEmpty();
    }

    @Test
    void a_cell_without_values_has_no_entries() {
        assertThat(Leaderboard.perCell(List.of(new CellInput("c", "y", List.of(new Outcome(0, 0, 0, "failed", null)))), true, 5))
                .isEmpty();
    }

    @Test
    void a_pruned_run_never_ranks_its_configuration() {
        CellInput cx = new CellInput("c", "x", List.of(new Outcome(0, 0, 0, "pruned", 0.99), ok(1, 1, 0.5),
                new Outcome(2, 1, 0, "pruned", 0.98)));
        assertThat(Leaderboard.perCell(List.of(cx), true, 5)).extracting(Leaderboard.Entry::trial, Leaderboard.Entry::n,
                Leaderboard.Entry::mean).containsExactly(tuple(1, 1, 0.5));
    }
}
