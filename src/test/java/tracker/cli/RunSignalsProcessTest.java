package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;
import tracker.testing.TrackerProcess;

/** tracker run as a real process receiving SIGTERM / SIGINT while its command runs. */
class RunSignalsProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void uniqueName(TestInfo info) {
        name = TestNames.experiment(info);
    }

    @AfterEach
    void cleanUp() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    void create(String mode) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1]
                models:
                  m: {datasets: [d1], params: {mode: %s}}
                runs: {lease: 30s}
                """.formatted(name, mode));
        assertThat(CliRun.in(tmp).database(DB).run("create", f.toString()).code()).isZero();
    }

    Process worker(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("run", "-e", name));
        all.addAll(List.of(args));
        Process p = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name())).start(all.toArray(String[]::new));
        started.add(p);
        return p;
    }

    Document run() {
        return DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).first();
    }

    long epochs() {
        return DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", run().getString("_id")));
    }

    static void signal(Process p, String sig) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    @Test
    void sigterm_preempts_the_run_with_its_checkpoint_and_the_next_worker_resumes_it() throws Exception {
        create("[resumable]");
        Path checkpoints = tmp.resolve("ckpt");
        Process p = worker("--checkpoint-dir", checkpoints.toString(), "--", RunCommandTest.TRAINER, "{args}", "--epochs=15");
        RunCommandTest.waitFor(() -> run().getString("checkpoint") != null && epochs() >= 3);
        signal(p, "TERM");
        CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(30));
        assertThat(r.code()).as(r.toString()).isEqualTo(143);
        assertThat(r.err()).contains("stopping").contains("1 preempted");
        Document preempted = run();
        assertThat(preempted.getString("status")).isEqualTo("pending");
        assertThat(preempted.getList("history", Document.class).get(0).getString("how")).isEqualTo("preempted");
        String checkpoint = preempted.getString("checkpoint");
        int reached = Integer.parseInt(Files.readString(Path.of(checkpoint)).strip());
        assertThat(reached).isBetween(3, 14);

        CliRun.Result resumed = CliRun.in(tmp).database(DB).run("run", "-e", name, "--checkpoint-dir", checkpoints.toString(), "--",
                RunCommandTest.TRAINER, "{args}", "--epochs=15");
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("resumed from epoch " + reached);
        Document done = run();
        assertThat(done.getString("status")).isEqualTo("completed");
        assertThat(done.getList("history", Document.class)).extracting(h -> h.getString("how")).containsExactly("preempted", "completed");
        List<Object> logged = DB.mongo().getCollection("metrics").find(Filters.eq("run", done.getString("_id")))
                .sort(Sorts.ascending("epoch")).map(d -> d.get("epoch")).into(new ArrayList<>());
        assertThat(logged).hasSize(15).first().isEqualTo(1L);
    }

    @Test
    void a_command_that_ignores_sigterm_is_killed_after_the_grace_period_and_its_run_preempted() throws Exception {
        create("[ignore-term]");
        Process p = worker("--grace", "1s", "--", RunCommandTest.TRAINER, "{args}");
        RunCommandTest.waitFor(() -> run().get("commandPid") != null && epochs() >= 1);
        long child = run().getLong("commandPid");
        signal(p, "TERM");
        CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(30));
        assertThat(r.code()).as(r.toString()).isEqualTo(143);
        assertThat(r.err()).contains("after SIGTERM: killing it");
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Document run = run();
        assertThat(run.getString("status")).isEqualTo("pending");
        assertThat(run.getList("history", Document.class).get(0).getString("message")).contains("killed by SIGKILL");
    }

    @Test
    void a_second_signal_kills_at_once() throws Exception {
        create("[ignore-term]");
        Process p = worker("--grace", "5m", "--", RunCommandTest.TRAINER, "{args}");
        RunCommandTest.waitFor(() -> run().get("commandPid") != null && epochs() >= 1);
        long t0 = System.nanoTime();
        signal(p, "INT");
        Thread.sleep(300);
        signal(p, "INT");
        CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(30));
        assertThat(r.code()).as(r.toString()).isEqualTo(130);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(r.err()).contains("killing the runs in flight");
        assertThat(run().getString("status")).isEqualTo("pending");
    }
}
