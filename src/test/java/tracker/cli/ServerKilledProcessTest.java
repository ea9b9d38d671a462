package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TrackerProcess;

/**
 * {@code tracker run} workers ride through the death of their database: a {@code kill -9} of the
 * embedded server in the middle of a sweep (the workers restart it, as any short command would,
 * reconnect and carry on: nothing acknowledged is lost, no run is done twice), and a database that
 * is really gone (exit 5 and one line, after --patience).
 */
class ServerKilledProcessTest {
    @TempDir
    Path tmp;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        new TrackerProcess(tmp).run(Duration.ofSeconds(30), "server", "stop");
    }

    Process start(TrackerProcess tracker, String... args) throws Exception {
        Process p = tracker.start(args);
        started.add(p);
        return p;
    }

    Path definition(String name, int settings) throws Exception {
        StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < settings; i++) {
            seeds.append(i == 0 ? "" : ", ").append(i);
        }
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [d1, d2]
                models:
                  m: {datasets: [d1, d2], params: {x: [%s], mode: steady}}
                search: {method: grid}
                runs: {lease: 20s}
                """.formatted(name, seeds));
        return f;
    }

    @Test
    void workers_survive_a_kill_9_of_the_embedded_server_and_finish_the_sweep_once() throws Exception {
        TrackerProcess tracker = new TrackerProcess(tmp);
        CliRun.Result created = tracker.run(Duration.ofMinutes(1), "create", definition("killed", 8).toString());
        assertThat(created.code()).as(created.toString()).isZero();
        long serverPid = serverPid();

        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(start(tracker, "run", "-e", "killed", "--parallel", "2", "--wait", "--worker", "w" + i, "--",
                    RunCommandTest.TRAINER, "{args}", "--epochs=6"));
        }
        // Kill the server once some runs have finished and others are half way.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (completed(tracker) < 3) {
            assertThat(System.nanoTime()).as("runs complete").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(serverPid)).start().waitFor()).isZero();

        for (Process w : workers) {
            CliRun.Result r = TrackerProcess.finish(w, Duration.ofMinutes(3));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.err()).doesNotContain("Exception");
        }
        assertThat(serverPid()).as("a new server").isNotEqualTo(serverPid);
        CliRun.Result csv = tracker.run(Duration.ofMinutes(1), "export", "-e", "killed");
        assertThat(csv.out().lines().skip(1).filter(l -> l.contains(",completed,")).count()).as(csv.toString()).isEqualTo(16);
        CliRun.Result status = tracker.run(Duration.ofMinutes(1), "status", "-e", "killed", "-o", "json");
        assertThat(status.out()).contains("\"counts\":{\"pending\":0,\"running\":0,\"completed\":16,\"failed\":0,\"cancelled\":0,\"pruned\":0}");
        // Each run completed once: one completed attempt in its history.
        for (int i = 0; i < 16; i++) {
            String run = "killed@1/m/" + (i < 8 ? "d1" : "d2") + "/" + (i % 8);
            CliRun.Result show = tracker.run(Duration.ofMinutes(1), "show", run, "-o", "json");
            Map<String, Object> doc = Json.parseObject(show.out().strip());
            List<Map<String, Object>> history = (List<Map<String, Object>>) doc.get("history");
            assertThat(history.stream().filter(h -> "completed".equals(h.get("how"))).count()).as(run + ": " + history).isEqualTo(1);
        }
    }

    @Test
    void a_worker_whose_database_is_really_gone_stops_with_exit_5_and_one_line() throws Exception {
        MongoServer server = new MongoServer(new MemoryBackend());
        String uri = server.bindAndGetConnectionString();
        TrackerProcess remote = new TrackerProcess(tmp, Map.of("TRACKER_URI", uri, "TRACKER_CONNECT_TIMEOUT", "1s"));
        try {
            assertThat(remote.run(Duration.ofMinutes(1), "create", definition("gone", 4).toString()).code()).isZero();
            Process w = start(remote, "run", "-e", "gone", "--patience", "5s", "--", RunCommandTest.TRAINER, "{args}", "--epochs=20");
            // The database goes away once the worker is at work - not while it is still starting up (a
            // loaded machine can take seconds for that), which is the plain "cannot reach" of any command.
            try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(uri)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (client.getDatabase("tracker").getCollection("metrics").countDocuments() == 0) {
                    assertThat(System.nanoTime()).as("the worker logged nothing within a minute").isLessThan(deadline);
                    assertThat(w.isAlive()).as("the worker ended before it logged").isTrue();
                    Thread.sleep(100);
                }
            }
            server.shutdownNow();
            CliRun.Result r = TrackerProcess.finish(w, Duration.ofMinutes(2));
            assertThat(r.code()).as(r.toString()).isEqualTo(5);
            assertThat(r.err()).contains("cannot reach MongoDB at").contains("gave up after 5s").doesNotContain("Exception")
                    .doesNotContain("\tat ");
        } finally {
            server.shutdownNow();
        }
    }

    private long serverPid() throws Exception {
        Map<String, Object> info = Json.parseObject(Files.readString(tmp.resolve("data").resolve("server.json")));
        return ((Number) info.get("pid")).longValue();
    }

    private static long completed(TrackerProcess tracker) throws Exception {
        CliRun.Result s = tracker.run(Duration.ofMinutes(1), "status", "-e", "killed", "-o", "json");
        Map<String, Object> counts = (Map<String, Object>) Json.parseObject(s.out().strip()).get("counts");
        return counts == null ? 0 : ((Number) counts.get("completed")).longValue();
    }
}
