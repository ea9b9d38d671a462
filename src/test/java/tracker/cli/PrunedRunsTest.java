package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/**
 * A run early stopping ended ({@code pruned}, here through {@code tracker end --status pruned}, as
 * the log write that judges it does) is finished and counted on its own; its last value is what a
 * run list shows, and it never becomes a cell's configuration, however good its best value was.
 */
@SuppressWarnings("unchecked")
class PrunedRunsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void create(TestInfo info) throws IOException {
        name = TestNames.experiment(info);
        Path f = tmp.resolve("exp.yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp: {datasets: [iris], params: {lr: [0.1, 0.01, 0.001]}}
                search: {method: grid}
                """.formatted(name));
        assertThat(cli().run("create", f.toString()).code()).isZero();
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    CliRun.Result ok(String... args) {
        CliRun.Result r = cli().run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    Map<String, Object> json(String... args) {
        return Json.parseObject(ok(args).out().strip());
    }

    Map<String, Object> next() {
        return json("next", "-e", name);
    }

    /** Logs these values of val.acc at epochs 1, 2 ... and ends the run so. */
    void finish(Map<String, Object> claim, String status, double... values) {
        CliRun worker = cli().env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", (String) claim.get("token"));
        for (int epoch = 0; epoch < values.length; epoch++) {
            CliRun.Result log = worker.run("log", "--epoch", String.valueOf(epoch + 1), "val.acc=" + values[epoch]);
            assertThat(log.code()).as(log.toString()).isZero();
        }
        CliRun.Result end = worker.run("end", "--status", status);
        assertThat(end.code()).as(end.toString()).isZero();
    }

    Map<String, Object> counts() {
        return (Map<String, Object>) json("status", "-e", name, "-o", "json").get("counts");
    }

    /** One pruned run whose best (0.99) beats the completed one (0.8) but whose last (0.6) does not; one run left pending. */
    Map<String, Object> prunedAndCompleted() {
        Map<String, Object> pruned = next();
        finish(pruned, "pruned", 0.99, 0.6);
        finish(next(), "completed", 0.8);
        return pruned;
    }

    @Test
    void a_pruned_run_is_counted_as_pruned_not_pending_by_status_list_and_show() {
        assertThat(ok("status", "-e", name).out().lines().findFirst().orElseThrow()).as("no run pruned: the line reads as before")
                .endsWith("3 runs: pending 3, running 0, completed 0, failed 0, cancelled 0");
        // (whether `list` shows PRUNED depends on the other experiments of the shared test database)
        assertThat(counts()).as("JSON always has the count").containsEntry("pruned", 0L);

        prunedAndCompleted();

        assertThat(counts()).containsEntry("pending", 1L).containsEntry("running", 0L).containsEntry("completed", 1L)
                .containsEntry("failed", 0L).containsEntry("pruned", 1L);
        assertThat(ok("status", "-e", name).out()).contains(name + "@1  3 runs: pending 1, running 0, completed 1, failed 0, cancelled 0, pruned 1");
        List<Map<String, Object>> listed = (List<Map<String, Object>>) Json.parse(ok("list", "-o", "json").out());
        assertThat(listed).filteredOn(e -> e.get("name").equals(name)).singleElement()
                .satisfies(e -> assertThat((Map<String, Object>) e.get("counts")).containsEntry("pruned", 1L).containsEntry("pending", 1L));
        String table = ok("list").out();
        assertThat(table.lines().findFirst().orElseThrow()).containsPattern("CANCELLED +PRUNED *$");
        assertThat(table).containsPattern(name + "@1 +\\S+ \\S+ +3 +1 +0 +1 +0 +0 +1");
        assertThat(ok("show", name).out()).contains("# runs: 3 (pending 1, running 0, completed 1, failed 0, cancelled 0, pruned 1)");
    }

    @Test
    void progress_counts_a_pruned_run_as_done_with_a_column_and_a_glyph_of_its_own() {
        assertThat(ok("report", "-e", name, "--view", "progress").out()).doesNotContain("PRUNED").doesNotContain("▆")
                .doesNotContain("0 pruned");
        prunedAndCompleted();

        Map<String, Object> progress = json("report", "-e", name, "--view", "progress", "-o", "json");
        assertThat((Map<String, Object>) progress.get("overall")).containsEntry("completed", 1L).containsEntry("pruned", 1L)
                .containsEntry("pending", 1L).containsEntry("failed", 0L);
        assertThat((List<Map<String, Object>>) progress.get("cells")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("pruned", 1L).containsEntry("pending", 1L));
        assertThat(ok("report", "-e", name, "--view", "progress", "-o", "csv").out())
                .startsWith("model,dataset,total,completed,failed,cancelled,pruned,running,pending\n")
                .contains("mlp,iris,3,1,0,0,1,0,1\n");

        CliRun.Result table = ok("report", "-e", name, "--view", "progress", "--width", "200");
        assertThat(table.out()).containsPattern("COMPLETED +PRUNED +FAILED")
                .containsPattern("mlp +iris +███████▆▆▆▆▆▆▆······ +2/3 +1 +1 +0 +0 +1")
                .contains(name + "@1: 2/3 done (1 completed, 0 failed, 0 cancelled, 1 pruned), 0 running, 1 pending")
                .contains("▆ pruned (stopped early, done)");
    }

    @Test
    void a_pruned_run_never_becomes_its_cells_configuration_however_good_its_best() {
        Map<String, Object> pruned = prunedAndCompleted();
        Map<String, Object> matrix = json("report", "-e", name, "-o", "json");
        assertThat((List<Map<String, Object>>) matrix.get("cells")).singleElement().satisfies(c -> assertThat(c)
                .as("the completed run's 0.8 chooses, not the pruned run's 0.99").containsEntry("mean", 0.8).containsEntry("n", 1L)
                .containsEntry("done", 2L).containsEntry("failed", 0L)
                .doesNotContainEntry("trial", ((Number) pruned.get("trial")).longValue()));
        for (String agg : List.of("last", "mean", "median")) {
            Map<String, Object> other = json("report", "-e", name, "--agg", agg, "-o", "json");
            assertThat((List<Map<String, Object>>) other.get("cells")).as(agg).singleElement()
                    .satisfies(c -> assertThat(c).containsEntry("mean", 0.8));
        }

        Map<String, Object> board = json("report", "-e", name, "--view", "leaderboard", "-o", "json");
        assertThat((List<Map<String, Object>>) board.get("entries")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("mean", 0.8).containsEntry("rank", 1L)
                        .doesNotContainEntry("trial", ((Number) pruned.get("trial")).longValue()));
        Map<String, Object> lastEpoch = json("report", "-e", name, "--view", "leaderboard", "--epoch", "last", "-o", "json");
        assertThat((List<Map<String, Object>>) lastEpoch.get("entries")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("mean", 0.8));
        Map<String, Object> overall = json("report", "-e", name, "--view", "leaderboard", "--overall", "-o", "json");
        assertThat((List<Map<String, Object>>) overall.get("entries")).singleElement()
                .satisfies(e -> assertThat(e).doesNotContainEntry("trial", ((Number) pruned.get("trial")).longValue()));
    }

    @Test
    void the_runs_view_and_export_show_a_pruned_run_with_its_last_value() {
        Map<String, Object> pruned = prunedAndCompleted();
        Map<String, Object> runs = json("report", "-e", name, "--view", "runs", "--where", "status=pruned", "-o", "json");
        assertThat(runs).containsEntry("matched", 1L);
        assertThat((List<Map<String, Object>>) runs.get("runs")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("run", pruned.get("run")).containsEntry("status", "pruned")
                .containsEntry("objective", 0.6).containsEntry("final", 0.6).containsEntry("epochs", 2L));

        List<String> sorted = ok("report", "-e", name, "--view", "runs", "--sort", "-objective", "-o", "csv").out().lines().toList();
        assertThat(sorted.get(1)).as("ranked by its last value, 0.6, not its best, 0.99").contains(",completed,1,0.8,0.8,");
        assertThat(sorted.get(2)).startsWith(pruned.get("run") + ",").contains(",pruned,1,0.6,0.6,2,");

        String text = ok("report", "-e", name, "--view", "runs", "--width", "200").out();
        assertThat(text).containsPattern("pruned +1 +0\\.600 +0\\.600")
                .contains("objective: its best value (a pruned run: its last, where early stopping ended it)");

        List<Map<String, Object>> exported = (List<Map<String, Object>>) Json.parse(ok("export", "-e", name, "-o", "json").out());
        assertThat(exported).filteredOn(r -> r.get("run").equals(pruned.get("run"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("status", "pruned").containsEntry("objective_last", 0.6));
        assertThat(ok("export", "-e", name, "-o", "csv").out()).contains(pruned.get("run") + "," + name + "@1,mlp,iris,pruned,");
    }

    @Test
    void requeue_leaves_pruned_runs_alone_unless_asked_for_them_by_name() {
        Map<String, Object> pruned = prunedAndCompleted();
        assertThat(ok("requeue", "-e", name).out().strip()).as("pruned on purpose: not a failure to retry").isEqualTo("0");
        assertThat(counts()).containsEntry("pruned", 1L).containsEntry("pending", 1L);

        assertThat(ok("requeue", "-e", name, "--status", "pruned").out().strip()).isEqualTo("1");
        assertThat(counts()).containsEntry("pruned", 0L).containsEntry("pending", 2L).containsEntry("completed", 1L);
        Map<String, Object> again = next();
        assertThat(again).as("claimed before the run that never ran").containsEntry("run", pruned.get("run"));
        finish(again, "completed", 0.95);
        assertThat(counts()).containsEntry("completed", 2L).containsEntry("pruned", 0L);
        Map<String, Object> matrix = json("report", "-e", name, "-o", "json");
        assertThat((List<Map<String, Object>>) matrix.get("cells")).singleElement().satisfies(c -> assertThat(c).containsEntry("mean", 0.95));
    }

    @Test
    void a_worker_counts_the_run_early_stopping_ended_as_pruned_in_its_tally() throws IOException {
        String stopped = name + "-es";
        Path f = tmp.resolve("es.yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp: {datasets: [iris], params: {v: [9, 1]}}
                search: {method: grid, early_stopping: {method: median, min_epochs: 1, min_runs: 1}}
                """.formatted(stopped));
        ok("create", f.toString());
        // Two at once; v=1 waits, so the median it is judged against at epoch 1 is v=9's 0.9 whatever the claim order.
        String script = "if [ \"$1\" = 1 ]; then sleep 3; fi; echo epoch=1 val.acc=0.$1; sleep 2; echo epoch=2 val.acc=0.$1";
        CliRun.Result r = ok("run", "-e", stopped, "--parallel", "2", "--", "sh", "-c", script, "sh", "{param.v}");
        assertThat(r.err()).contains("2 runs (1 completed, 1 pruned)").doesNotContain("failed run");
        Map<String, Object> counts = (Map<String, Object>) json("status", "-e", stopped, "-o", "json").get("counts");
        assertThat(counts).containsEntry("completed", 1L).containsEntry("pruned", 1L).containsEntry("pending", 0L);
        Map<String, Object> runs = json("report", "-e", stopped, "--view", "runs", "--where", "status=pruned", "-o", "json");
        assertThat((List<Map<String, Object>>) runs.get("runs")).singleElement()
                .satisfies(run -> assertThat(run).containsEntry("params", Map.of("v", 1L)).containsEntry("objective", 0.1));
    }
}
