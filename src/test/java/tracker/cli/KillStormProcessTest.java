package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TrackerProcess;
import tracker.testing.WorkerLoop;

/**
 * A storm of real worker processes (next, log, end through tracker's command line), each killed
 * with SIGKILL at a random moment, while healthy workers drain the experiment on the embedded
 * database: afterwards every run is completed exactly once and status, report and export agree
 * with the runs - with no repair by hand.
 */
class KillStormProcessTest {
    private static final int RUNS = 30;
    private static final int VICTIMS = 14;

    @TempDir
    Path tmp;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
        }
        new TrackerProcess(tmp).killServer();
    }

    @Test
    void workers_killed_at_random_moments_lose_no_run_and_do_none_twice() throws Exception {
        Path f = tmp.resolve("storm.yaml");
        Files.writeString(f, """
                name: storm
                objective: {metric: acc, goal: maximize}
                datasets: [d1, d2, d3]
                models:
                  m: {datasets: [d1, d2, d3], params: {x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}
                search: {method: grid}
                runs: {lease: 2s, max_attempts: 100}
                """);
        TrackerProcess tracker = new TrackerProcess(tmp);
        CliRun.Result created = tracker.run(Duration.ofMinutes(1), "create", f.toString());
        assertThat(created.code()).as(created.toString()).isZero();

        List<Process> healthy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Process p = tracker.startMain(WorkerLoop.class.getName(), "storm");
            started.add(p);
            healthy.add(p);
        }
        Random random = new Random(7);
        for (int i = 0; i < VICTIMS; i++) {
            Process victim = tracker.startMain(WorkerLoop.class.getName(), "storm");
            started.add(victim);
            Thread.sleep(400 + random.nextInt(2600)); // a JVM start, then somewhere in next, log or end
            victim.destroyForcibly().waitFor();
        }
        for (Process p : healthy) {
            CliRun.Result r = TrackerProcess.finish(p, Duration.ofMinutes(5));
            assertThat(r.code()).as(r.toString()).isZero();
        }

        CliRun cli = CliRun.in(tmp); // the same data directory: the same embedded server
        Map<String, Object> status = Json.parseObject(cli.run("status", "-e", "storm", "-o", "json").out().strip());
        assertThat(status.get("counts").toString()).isEqualTo("{pending=0, running=0, completed=" + RUNS + ", failed=0, cancelled=0, pruned=0}");
        Map<String, Object> progress = Json.parseObject(cli.run("report", "-e", "storm", "--view", "progress", "-o", "json").out().strip());
        assertThat(((Map<String, Object>) progress.get("overall")).get("completed")).isEqualTo((long) RUNS);
        String csv = cli.run("export", "-e", "storm").out();
        assertThat(csv.lines().skip(1).filter(l -> l.contains(",completed,")).count()).as(csv).isEqualTo(RUNS);
        for (String dataset : List.of("d1", "d2", "d3")) {
            for (int pos = 0; pos < 10; pos++) {
                String run = "storm@1/m/" + dataset + "/" + pos;
                Map<String, Object> doc = Json.parseObject(cli.run("show", run, "-o", "json").out().strip());
                List<Map<String, Object>> history = (List<Map<String, Object>>) doc.get("history");
                assertThat(history.stream().filter(h -> "completed".equals(h.get("how"))).count()).as(run + " completed once: " + history)
                        .isEqualTo(1);
                assertThat((List<Object>) doc.get("epochs")).as(run + " has its two epochs").hasSize(2);
            }
        }
        String repair = cli.run("status", "-e", "storm", "--repair").err();
        assertThat(repair).as("nothing left for a repair").contains("nothing to repair");
    }
}
