package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;
import tracker.testing.WorkerLoop;

/** Many worker processes pull one experiment dry: every run exactly once, none lost, none left running. */
class WorkersProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void sixteen_workers_complete_a_200_run_grid_each_run_exactly_once() throws Exception {
        String name = "grid200-" + System.nanoTime();
        Path file = tmp.resolve("grid.yaml");
        Files.writeString(file, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [a, b, c, d, e]
                models:
                  m1: {datasets: [a, b, c, d, e], params: {x: [1, 2, 3, 4, 5], y: [p, q]}}
                  m2: {datasets: [a, b, c, d, e], params: {k: {distribution: int_uniform, min: 1, max: 10}}}
                search: {method: grid, replicates: 2, seed: 1}
                """.formatted(name));
        CliRun.Result created = CliRun.in(tmp).database(DB).run("create", file.toString(), "-o", "json");
        assertThat(created.out()).as(created.toString()).contains("\"runs\":200");

        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            workers.add(tracker.startMain(WorkerLoop.class.getName(), name, "--worker", "w" + i));
        }
        List<String> completed = new ArrayList<>();
        for (Process w : workers) {
            CliRun.Result r = TrackerProcess.finish(w, Duration.ofMinutes(5));
            assertThat(r.code()).as(r.toString()).isZero();
            completed.addAll(r.out().lines().toList());
        }
        Set<String> distinct = new HashSet<>(completed);
        assertThat(completed).as("no run completed twice").hasSize(distinct.size());
        assertThat(distinct).as("every run completed").hasSize(200);

        var runs = DB.mongo().getCollection("runs");
        assertThat(runs.countDocuments(Filters.and(Filters.eq("experiment", name + "@1"), Filters.eq("status", "completed")))).isEqualTo(200);
        assertThat(runs.countDocuments(Filters.and(Filters.eq("experiment", name + "@1"), Filters.eq("attempt", 1)))).isEqualTo(200);
        assertThat(CliRun.in(tmp).database(DB).run("status", "-e", name, "-o", "json").out())
                .contains("\"counts\":{\"pending\":0,\"running\":0,\"completed\":200,\"failed\":0,\"cancelled\":0,\"pruned\":0}");
        assertThat(DB.mongo().getCollection("metrics").countDocuments(Filters.eq("experiment", name + "@1"))).isEqualTo(400);
        for (Document cell : DB.mongo().getCollection("cells").find(Filters.eq("experiment", name + "@1"))) {
            assertThat(cell.get("running", Document.class)).as(cell.toJson()).isEmpty();
            assertThat(cell.getInteger("next")).isEqualTo(cell.getInteger("size"));
        }
    }

    @Test
    void a_worker_killed_mid_run_loses_its_run_to_another_and_its_late_writes_are_refused() throws Exception {
        String name = "killed-" + System.nanoTime();
        Path file = tmp.resolve("k.yaml");
        Files.writeString(file, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [a]
                models:
                  m: {datasets: [a], params: {x: [1, 2, 3]}}
                search: {method: grid}
                runs: {lease: 2s}
                """.formatted(name));
        assertThat(CliRun.in(tmp).database(DB).run("create", file.toString()).code()).isZero();
        Map<String, String> env = Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name());
        TrackerProcess hanging = new TrackerProcess(tmp, new java.util.HashMap<>(env) {{
            put("WORKER_HANG_AFTER_CLAIM", "1");
        }});
        Process victim = hanging.startMain(WorkerLoop.class.getName(), name, "--worker", "victim");
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(victim.getInputStream())).readLine();
        assertThat(line).as("the victim claimed a run").startsWith("claimed ");
        String[] parts = line.split(" ");
        String run = parts[1];
        String oldToken = parts[2];
        victim.toHandle().destroyForcibly(); // SIGKILL: no end, no goodbye
        victim.waitFor();

        CliRun.Result rescuer = TrackerProcess.finish(new TrackerProcess(tmp, env).startMain(WorkerLoop.class.getName(), name,
                "--worker", "rescuer"), Duration.ofMinutes(2));
        assertThat(rescuer.code()).as(rescuer.toString()).isZero();
        assertThat(rescuer.out().lines()).contains(run).hasSize(3);

        Document r = DB.mongo().getCollection("runs").find(Filters.eq("_id", run)).first();
        assertThat(r.getString("status")).isEqualTo("completed");
        assertThat(r.getInteger("attempt")).isEqualTo(2);
        assertThat(r.getList("history", Document.class)).extracting(h -> h.getString("worker") + ":" + h.getString("how"))
                .containsExactly("victim:expired", "rescuer:completed");

        CliRun.Result lateLog = CliRun.in(tmp).database(DB).run("log", "--run", run, "--token", oldToken, "--epoch", "9", "val.acc=0.1");
        assertThat(lateLog.code()).isEqualTo(6);
        CliRun.Result lateEnd = CliRun.in(tmp).database(DB).run("end", "--run", run, "--token", oldToken, "--status", "failed");
        assertThat(lateEnd.code()).isEqualTo(6);
        assertThat(lateEnd.err()).contains("it is completed now");
        assertThat(StoredData.epoch(DB.mongo(), run, 9)).isNull();
    }
}
