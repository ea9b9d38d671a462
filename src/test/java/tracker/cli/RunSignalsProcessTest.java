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
        assertThat(Path.of(checkpoint).getParent().getParent()).isEqualTo(checkpoints.toAbsolutePath()); // a directory per run
        assertThat(Path.of(checkpoint).getParent()).as("a completed run's checkpoints are removed").doesNotExist();
        assertThat(checkpoints).isDirectory();
        List<Object> logged = DB.mongo().getCollection("metrics").find(Filters.eq("run", done.getString("_id")))
                .sort(Sorts.ascending("epoch")).map(d -> d.get("epoch")).into(new ArrayList<>());
        assertThat(logged).hasSize(15).first().isEqualTo(1L);
    }

    /** An experiment of {@code runs} runs whose command is a plain {@code sleep 30}: no signal handler of its own. */
    void createSleepers(int runs) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1]
                models:
                  m: {datasets: [d1], params: {mode: [sleep]}}
                search: {method: grid, replicates: %d}
                runs: {lease: 30s}
                command: sleep 30
                """.formatted(name, runs));
        assertThat(CliRun.in(tmp).database(DB).run("create", f.toString()).code()).isZero();
    }

    /** A process started in a session (and process group) of its own, as a batch job's step is: its pid is the group's id. */
    Process inOwnGroup(List<String> prefix, String... args) throws IOException {
        ProcessBuilder pb = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()))
                .builder("tracker.Tracker", args);
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(prefix);
        cmd.addAll(pb.command());
        Process p = pb.command(cmd).start();
        started.add(p);
        return p;
    }

    List<Document> running() {
        return DB.mongo().getCollection("runs").find(Filters.and(Filters.eq("experiment", name + "@1"), Filters.eq("status", "running"),
                Filters.exists("commandPid"))).into(new ArrayList<>());
    }

    /** The runs in flight went back to the queue as preempted, and the next claims hand out exactly those first. */
    void assertPreemptedAndResumedFirst(List<String> inFlight) {
        for (String id : inFlight) {
            Document r = DB.mongo().getCollection("runs").find(Filters.eq("_id", id)).first();
            assertThat(r.getString("status")).as(id).isEqualTo("pending");
            List<Document> history = r.getList("history", Document.class);
            assertThat(history.get(history.size() - 1).getString("how")).as(id + " " + history).isEqualTo("preempted");
        }
        List<String> next = new ArrayList<>();
        for (int i = 0; i < inFlight.size(); i++) {
            CliRun.Result c = CliRun.in(tmp).database(DB).run("next", "-e", name, "-o", "json");
            assertThat(c.code()).as(c.toString()).isZero();
            next.add((String) tracker.json.Json.parseObject(c.out().strip()).get("run"));
        }
        assertThat(next).containsExactlyInAnyOrderElementsOf(inFlight);
    }

    @Test
    void sigterm_to_the_whole_process_group_preempts_every_run_in_flight_though_the_commands_die_of_it_first() throws Exception {
        createSleepers(4);
        // setsid tracker run -e NAME -j 2 -- sleep 30 &  ...  kill -TERM -- -$PGID   (what scancel does to a job step)
        Process p = inOwnGroup(List.of(), "run", "-e", name, "-j", "2");
        RunCommandTest.waitFor(() -> running().size() == 2);
        List<String> inFlight = running().stream().map(d -> d.getString("_id")).toList();
        assertThat(new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start().waitFor()).isZero();
        CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(30));
        assertThat(r.code()).as(r.toString()).isEqualTo(143);
        assertThat(r.err()).contains("2 runs (2 preempted)").doesNotContain("failed");
        assertPreemptedAndResumedFirst(inFlight);
    }

    @Test
    void under_timeout_the_group_signal_preempts_every_run_in_flight() throws Exception {
        createSleepers(4);
        // timeout(1) signals its command and then its whole process group, on expiry as when it is itself signalled
        // (how Slurm or a shell stops it); the latter here, so the test does not depend on how fast the JVM starts.
        Process p = inOwnGroup(List.of("timeout", "-s", "TERM", "120"), "run", "-e", name, "-j", "2");
        RunCommandTest.waitFor(() -> running().size() == 2);
        List<String> inFlight = running().stream().map(d -> d.getString("_id")).toList();
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(30));
        assertThat(r.code()).as("timeout exits with its command's status").as(r.toString()).isEqualTo(143);
        assertThat(r.err()).contains("2 runs (2 preempted)").doesNotContain("failed");
        assertPreemptedAndResumedFirst(inFlight);
    }

    @Test
    void a_stop_near_the_slurm_jobs_end_says_the_time_limit_was_reached_and_still_preempts() throws Exception {
        createSleepers(1);
        long end = System.currentTimeMillis() / 1000 + 120; // as with #SBATCH --signal=TERM@120
        ProcessBuilder pb = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name(),
                "SLURM_JOB_END_TIME", Long.toString(end))).builder("tracker.Tracker", "run", "-e", name);
        Process p = pb.start();
        started.add(p);
        RunCommandTest.waitFor(() -> running().size() == 1);
        String id = running().get(0).getString("_id");
        signal(p, "TERM");
        CliRun.Result r = TrackerProcess.finish(p, Duration.ofSeconds(30));
        assertThat(r.code()).as(r.toString()).isEqualTo(143);
        assertThat(r.err()).contains("stopping (the job's time limit was reached (SLURM_JOB_END_TIME");
        Document run = DB.mongo().getCollection("runs").find(Filters.eq("_id", id)).first();
        assertThat(run.getString("status")).isEqualTo("pending");
        assertThat(run.getList("history", Document.class).get(0).getString("message"))
                .startsWith("preempted: the job's time limit was reached (SLURM_JOB_END_TIME ");
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
