package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void counts_by_status_and_estimates_the_time_left() {
        Progress.Result p = Progress.compute(List.of(
                new Progress.CellInput("a", "x", 10, 2, List.of("completed", "completed", "failed"), List.of(60_000L, 120_000L)),
                new Progress.CellInput("a", "y", 4, 0, List.of("cancelled"), List.of())));
        assertThat(p.cells().get(0).pending()).isEqualTo(5);
        assertThat(p.overall().pending()).isEqualTo(8);
        assertThat(p.overall().done()).isEqualTo(4);
        // mean 90 s per run, 8 pending + 2 running (half done) over 2 workers
        assertThat(p.eta()).isEqualTo(Duration.ofSeconds(90 * 9 / 2));
        assertThat(Progress.bar(p.cells().get(0), 10)).isEqualTo("██▓▒▒·····");
    }

    @Test
    void no_estimate_without_a_finished_run_or_workers() {
        assertThat(Progress.compute(List.of(new Progress.CellInput("a", "x", 3, 1, List.of(), List.of()))).eta()).isNull();
        assertThat(Progress.compute(List.of(new Progress.CellInput("a", "x", 3, 0, List.of("completed", "failed", "completed"),
                List.of(5L, 5L)))).eta()).isEqualTo(Duration.ZERO);
    }

    @Test
    void a_pruned_run_is_done_and_has_a_glyph_of_its_own_between_completed_and_failed() {
        Progress.Result p = Progress.compute(List.of(new Progress.CellInput("a", "x", 10, 1,
                List.of("completed", "pruned", "pruned", "failed", "cancelled"), List.of(60_000L))));
        Progress.Cell c = p.cells().get(0);
        assertThat(c.pruned()).isEqualTo(2);
        assertThat(c.pending()).as("not pending: it never runs again").isEqualTo(4);
        assertThat(c.done()).isEqualTo(5);
        assertThat(p.overall().pruned()).isEqualTo(2);
        assertThat(Progress.bar(c, 10)).isEqualTo("█▆▆▓▓▒····");
    }
}
