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
    void minimize_puts_the_lowest_first_and_overall_ranks_across_cells() {
        assertThat(Leaderboard.perCell(List.of(AX), false, 1)).extracting(Leaderboard.Entry::trial).containsExactly(1);
        List<Leaderboard.Entry> overall = Leaderboard.overall(List.of(AX, BX), true, 3);
        assertThat(overall).extracting(Leaderboard.Entry::model, Leaderboard.Entry::trial, Leaderboard.Entry::rank)
                .containsExactly(tuple("b", 0, 1), tuple("a", 0, 2), tuple("a", 2, 2));
        assertThat(Leaderboard.overall(List.of(AX, BX), false, 1)).extracting(Leaderboard.Entry::model, Leaderboard.Entry::trial)
                .containsExactly(tuple("b", 1));
    }

    @Test
    void a_cell_without_values_has_no_entries() {
        assertThat(Leaderboard.perCell(List.of(new CellInput("c", "y", List.of(new Outcome(0, 0, 0, "failed", null)))), true, 5))
                .isEmpty();
    }
}
