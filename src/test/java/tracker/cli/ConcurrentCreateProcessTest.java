package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;

/** Eight OS processes create the same new experiment at once, as a cluster's batch jobs would. */
class ConcurrentCreateProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void eight_processes_creating_one_experiment_make_exactly_one() throws Exception {
        String name = "race-" + System.nanoTime();
        Path file = tmp.resolve("race.yaml");
        Files.writeString(file, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [a, b, c, d, e]
                models:
                  m1: {datasets: [a, b, c, d, e], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}}}
                  m2: {datasets: [a, b, c, d, e], params: {k: {distribution: int_uniform, min: 1, max: 50}}}
                search: {trials: 100, replicates: 3, seed: 1}
                """.formatted(name));
        long planned = 2 * 5 * 100 * 3;
        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            processes.add(tracker.start("create", file.toString(), "-o", "json"));
        }
        int created = 0;
        for (Process p : processes) {
            CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(120));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("\"id\":\"" + name + "@1\"").contains("\"runs\":" + planned);
            created += r.out().contains("\"action\":\"created\"") ? 1 : 0;
        }
        assertThat(created).isEqualTo(1);
        assertThat(DB.mongo().getCollection("experiments").countDocuments(Filters.eq("name", name))).isEqualTo(1);
        assertThat(DB.mongo().getCollection("runs").countDocuments(Filters.eq("experiment", name + "@1"))).isEqualTo(planned);
        Document e = DB.mongo().getCollection("experiments").find(Filters.eq("_id", name + "@1")).first();
        assertThat(e.getString("state")).isEqualTo("ready");
        assertThat(CliRun.in(tmp).database(DB).run("status", "-e", name, "-o", "json").out())
                .contains("\"pending\":" + planned + ",\"running\":0").contains("\"runs\":" + planned);
    }

    @Test
    void racing_new_versions_make_one_version_and_an_older_versions_file_reconnects_to_it() throws Exception {
        String name = "versions-" + System.nanoTime();
        String def = """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [a, b]
                models:
                  m: {datasets: [a, b], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}}}
                search: {trials: 50, replicates: 2, seed: 1}
                """.formatted(name);
        Path first = tmp.resolve("first.yaml");
        Files.writeString(first, def);
        Path second = tmp.resolve("second.yaml");
        Files.writeString(second, def.replace("seed: 1", "seed: 2"));
        CliRun.Result created = CliRun.in(tmp).database(DB).run("create", first.toString());
        assertThat(created.code()).as(created.toString()).isZero();

        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        List<Process> newer = new ArrayList<>();
        List<Process> older = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            newer.add(tracker.start("create", second.toString(), "--new-version", "-o", "json"));
            older.add(tracker.start("create", first.toString(), "--new-version", "-o", "json"));
        }
        int made = 0;
        for (Process p : newer) {
            CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(120));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("\"id\":\"" + name + "@2\"");
            made += r.out().contains("\"action\":\"created\"") ? 1 : 0;
        }
        assertThat(made).isEqualTo(1);
        for (Process p : older) {
            CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(120));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("\"id\":\"" + name + "@1\"").contains("\"action\":\"reconnected\"");
        }
        var experiments = DB.mongo().getCollection("experiments");
        assertThat(experiments.countDocuments(Filters.eq("name", name))).isEqualTo(2);
        assertThat(DB.mongo().getCollection("runs").countDocuments(Filters.eq("experiment", name + "@1"))).isEqualTo(200);
        assertThat(DB.mongo().getCollection("runs").countDocuments(Filters.eq("experiment", name + "@2"))).isEqualTo(200);
        assertThat(experiments.find(Filters.eq("_id", name + "@2")).first().getString("state")).isEqualTo("ready");
    }

    @Test
    void a_create_killed_while_planning_is_finished_by_the_next_create() throws Exception {
        String name = "killed-" + System.nanoTime();
        Path file = tmp.resolve("killed.yaml");
        long planned = 2 * 15_000; // three batches of inserts: killed after the first
        Files.writeString(file, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [a, b]
                models:
                  m: {datasets: [a, b], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}}}
                search: {trials: 15000, seed: 1}
                """.formatted(name));
        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        Process first = tracker.start("create", file.toString());
        var experiments = DB.mongo().getCollection("experiments");
        var runs = DB.mongo().getCollection("runs");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && first.isAlive() && runs.countDocuments(Filters.eq("experiment", name + "@1")) == 0) {
            Thread.sleep(10);
        }
        first.destroyForcibly().waitFor(); // kill -9 half-way through planning
        Document e = experiments.find(Filters.eq("_id", name + "@1")).first();
        assertThat(e).as("the first create stored the experiment before it was killed").isNotNull();
        assertThat(e.getString("state")).as("killed while planning, not after").isEqualTo("planning");
        assertThat(runs.countDocuments(Filters.eq("experiment", name + "@1"))).isLessThan(planned);

        CliRun.Result again = CliRun.in(tmp).database(DB).run("create", file.toString(), "-o", "json");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("\"action\":\"reconnected\"").contains("\"runs\":" + planned);
        assertThat(again.err()).containsPattern("reconnected to experiment " + name + "@1: same definition, nothing changed "
                + "\\(finished planning [1-9][0-9]* runs?\\)");
        assertThat(experiments.find(Filters.eq("_id", name + "@1")).first().getString("state")).isEqualTo("ready");
        assertThat(runs.countDocuments(Filters.eq("experiment", name + "@1"))).isEqualTo(planned);
        assertThat(CliRun.in(tmp).database(DB).run("status", "-e", name, "-o", "json").out())
                .contains("\"pending\":" + planned + ",\"running\":0").contains("\"runs\":" + planned);
    }
}
