package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.json.Json;
import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.TestNames;
import tracker.testing.TestDatabase;

class AdminCommandsTest {
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
                datasets: [iris, wine]
                models:
                  mlp: {datasets: [iris, wine], params: {lr: [0.1, 0.01]}}
                search: {method: grid}
                """.formatted(name));
        assertThat(cli().run("create", f.toString()).code()).isZero();
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    Map<String, Object> next(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "next";
        args[1] = "-e";
        args[2] = name;
        System.arraycopy(extra, 0, args, 3, extra.length);
        CliRun.Result r = cli().run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return Json.parseObject(r.out().strip());
    }

    int end(Map<String, Object> c, String status) {
        return cli().run("end", "--run", (String) c.get("run"), "--token", (String) c.get("token"), "--status", status).code();
    }

    Map<String, Object> counts() {
        Map<String, Object> m = Json.parseObject(cli().run("status", "-e", name, "-o", "json").out().strip());
        return (Map<String, Object>) m.get("counts");
    }

    @Test
    void slurm_like_end_states_are_finished_failures_counted_as_failed_and_shown_by_name() {
        Map<String, Object> lost = next();
        Map<String, Object> oom = next();
        CliRun.Result typo = cli().run("end", "--run", (String) lost.get("run"), "--token", (String) lost.get("token"), "--status", "node_fial");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("'node_fial' is not a status (one of: ").contains("hint: did you mean 'node_fail'?");
        CliRun.Result complete = cli().run("end", "--run", (String) lost.get("run"), "--token", (String) lost.get("token"), "--status", "complete");
        assertThat(complete.err()).contains("did you mean 'completed'?");
        assertThat(end(lost, "node_fail")).isZero();
        assertThat(end(lost, "node_fail")).as("the same end again changes nothing").isZero();
        assertThat(end(lost, "failed")).as("a different end of an ended run").isEqualTo(8);
        assertThat(end(oom, "out_of_memory")).isZero();
        assertThat(counts()).containsEntry("failed", 2L).containsEntry("pending", 2L);
        assertThat(cli().run("show", (String) lost.get("run")).out()).contains("node_fail");
        Map<String, Object> progress = Json.parseObject(cli().run("report", "-e", name, "--view", "progress", "-o", "json").out().strip());
        assertThat((Map<String, Object>) progress.get("overall")).containsEntry("failed", 2L).containsEntry("completed", 0L);
        assertThat(cli().run("export", "-e", name, "-o", "csv").out()).contains(",node_fail,").contains(",out_of_memory,");
        CliRun.Result requeued = cli().run("requeue", "-e", name, "--status", "node_fail");
        assertThat(requeued.out().strip()).isEqualTo("1");
        assertThat(counts()).containsEntry("failed", 1L).containsEntry("pending", 3L);
    }

    @Test
    void status_shows_runs_in_flight_and_expired_leases() throws Exception {
        Map<String, Object> a = next("--worker", "alpha", "--lease", "1s");
        next("--worker", "beta");
        Thread.sleep(1200);
        CliRun.Result r = cli().run("status", "-e", name);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains(name + "@1  4 runs: pending 2, running 2").contains("alpha").contains("beta")
                .contains("EXPIRED").contains("1 expired lease");
        Map<String, Object> json = Json.parseObject(cli().run("status", "-e", name, "-o", "json").out().strip());
        List<Map<String, Object>> flying = (List<Map<String, Object>>) json.get("inFlight");
        assertThat(flying).hasSize(2);
        assertThat(flying).filteredOn(f -> f.get("run").equals(a.get("run"))).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("expired", true).containsEntry("worker", "alpha"));
    }

    @Test
    void status_repair_rebuilds_queues_and_outcomes_from_the_runs_and_is_idempotent() {
        Map<String, Object> done = next();
        assertThat(end(done, "completed")).isZero();
        Map<String, Object> lost = next();
        Map<String, Object> flying = next();
        Map<String, Object> right = counts();
        var runs = DB.mongo().getCollection("runs");
        var cells = DB.mongo().getCollection("cells");
        // Damage as a process killed between two writes could leave it, or worse: an outcome missing,
        // a pending run that no claim reaches, a running run whose lease nobody watches.
        Document d = runs.find(Filters.eq("_id", done.get("run"))).first();
        DB.mongo().getCollection("results").updateOne(Filters.eq("_id", StoredData.resultsPage(d.getString("cell"), d.getInteger("pos"))),
                com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.unset(StoredData.resultsEntry(d.getInteger("pos"))),
                        com.mongodb.client.model.Updates.inc("n.completed", -1)));
        Document l = runs.find(Filters.eq("_id", lost.get("run"))).first();
        runs.updateOne(Filters.eq("_id", lost.get("run")), com.mongodb.client.model.Updates.set("status", "pending"));
        cells.updateOne(Filters.eq("_id", l.getString("cell")), com.mongodb.client.model.Updates.unset("running." + l.getInteger("pos")));
        Document f = runs.find(Filters.eq("_id", flying.get("run"))).first();
        cells.updateOne(Filters.eq("_id", f.getString("cell")), com.mongodb.client.model.Updates.unset("running." + f.getInteger("pos")));
        assertThat(counts()).isNotEqualTo(right);

        CliRun.Result r = cli().run("status", "-e", name, "--repair");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("repaired " + name + "@1: ").contains("1 pending runs no claim would reach, queued again")
                .contains("1 running runs whose lease nobody watched").contains("1 outcomes recorded or corrected");
        assertThat(counts()).containsEntry("completed", 1L).containsEntry("running", 1L).containsEntry("pending", 2L);
        assertThat(cli().run("status", "-e", name, "--repair").err()).contains("nothing to repair in " + name + "@1");
        assertThat(next().get("run")).as("the lost run is handed out again, first").isEqualTo(lost.get("run"));
    }

    @Test
    void requeue_puts_failed_runs_first_in_line_with_fresh_attempts() {
        Map<String, Object> failed = next();
        assertThat(end(failed, "failed")).isZero();
        CliRun.Result r = cli().run("requeue", "-e", name);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().strip()).isEqualTo("1");
        Map<String, Object> again = next();
        assertThat(again.get("run")).isEqualTo(failed.get("run"));
        assertThat(again.get("attempt")).isEqualTo(1L);
        assertThat(counts()).containsEntry("failed", 0L).containsEntry("running", 1L).containsEntry("pending", 3L);
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", failed.get("run"))).first();
        assertThat(run.getList("history", Document.class)).extracting(h -> h.getString("how")).containsExactly("failed", "requeued");
    }

    @Test
    void cancel_stops_pending_runs_and_with_running_the_runs_in_flight() {
        Map<String, Object> flying = next();
        CliRun.Result r = cli().run("cancel", "-e", name, "--model", "mlp", "--dataset", "wine");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(counts()).containsEntry("cancelled", 2L - (flying.get("dataset").equals("wine") ? 1 : 0));
        assertThat(cli().run("cancel", "-e", name, "--running").code()).isZero();
        assertThat(counts()).containsEntry("cancelled", 4L).containsEntry("pending", 0L).containsEntry("running", 0L);
        CliRun.Result late = cli().run("end", "--run", (String) flying.get("run"), "--token", (String) flying.get("token"), "--status", "completed");
        assertThat(late.code()).isEqualTo(6);
        assertThat(late.err()).contains("it is cancelled now");
        assertThat(cli().run("next", "-e", name).code()).isEqualTo(3);
        assertThat(cli().run("requeue", "-e", name, "--status", "cancelled").out().strip()).isEqualTo("4");
        assertThat(cli().run("next", "-e", name).code()).isZero();
    }
}
