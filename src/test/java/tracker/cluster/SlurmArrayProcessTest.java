package tracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.SlurmCluster;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;

/**
 * The repository's Slurm template, experiments/tabular/slurm.sbatch, submitted as it is to a real
 * one-node Slurm ({@link SlurmCluster}): its array tasks are {@code tracker run} workers on the
 * test's database, training with a small checkpointing trainer. Only {@code --array} is given on
 * sbatch's command line (fewer tasks); the experiment is a tiny one, of the template's default name
 * or named by {@code TRACKER_EXPERIMENT}, which the template serves when it is set.
 *
 * <p>Skipped only where Slurm cannot be installed or started (the message says why).
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SlurmArrayProcessTest {
    private static final Path TEMPLATE = Path.of("experiments/tabular/slurm.sbatch").toAbsolutePath();

    /**
     * A trainer that checkpoints after every epoch, resumes from {@code TRACKER_CHECKPOINT}, stops at
     * once on SIGTERM (its checkpoint is there), and appends its run to {@code TRAINED} when it has
     * trained to the end: a run found there twice was trained twice.
     */
    private static final String TRAINER = """
            #!/bin/bash
            epochs=4
            for a in "$@"; do case "$a" in --epochs=*) epochs=${a#--epochs=} ;; esac; done
            start=1
            if [ -n "${TRACKER_CHECKPOINT:-}" ] && [ -f "$TRACKER_CHECKPOINT" ]; then
              start=$(( $(cat "$TRACKER_CHECKPOINT") + 1 ))
              echo "resuming after epoch $(( start - 1 ))"
            fi
            ck="$TRACKER_CHECKPOINT_DIR/${TRACKER_RUN//\\//_}.ckpt"
            trap 'echo "SIGTERM: stopping"; exit 143' TERM
            for e in $(seq "$start" "$epochs"); do
              sleep 0.3 & wait $!
              echo "epoch=$e val.acc=0.$e"
              echo "$e" > "$ck.tmp" && mv "$ck.tmp" "$ck"
              echo "{\\"checkpoint\\": \\"$ck\\"}"
            done
            echo "$TRACKER_RUN" >> "$TRAINED"
            """;

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static SlurmCluster slurm;
    static String unavailable;

    @TempDir
    Path submitDir;

    @BeforeAll
    static void startSlurm() throws Exception {
        try {
            slurm = SlurmCluster.start();
        } catch (SlurmCluster.Unavailable e) {
            unavailable = "skipped: no Slurm to run experiments/tabular/slurm.sbatch on: " + e.getMessage();
            System.err.println("SlurmArrayProcessTest " + unavailable);
        }
    }

    /** Each test is reported skipped, with the reason: an abort in @BeforeAll leaves no trace in surefire's report. */
    @BeforeEach
    void needsSlurm() {
        Assumptions.assumeTrue(slurm != null, unavailable);
    }

    @AfterEach
    void cancelJobs() {
        if (slurm != null) {
            slurm.cancelAll();
        }
    }

    @AfterAll
    static void stopSlurm() {
        if (slurm != null) {
            slurm.close();
        }
    }

    @Test
    void every_array_task_of_a_finished_sweep_ends_completed_and_every_run_is_trained_once() throws Exception {
        String experiment = "tabular";
        create(experiment, 3, 4);

        String job = slurm.submit(submitDir, jobEnv(Map.of()), "--array=0-3", TEMPLATE.toString());
        List<SlurmCluster.ArrayTask> tasks = slurm.awaitEnd(job, Duration.ofMinutes(3));

        assertEveryRunTrainedOnce(experiment, 6);
        assertThat(tasks).as("a successful sweep looks successful to Slurm; every task:\n" + jobLogs())
                .extracting(SlurmCluster.ArrayTask::task).containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(tasks).as("a successful sweep looks successful to Slurm; every task:\n" + jobLogs())
                .allSatisfy(t -> assertThat(t.state()).as(t.toString()).isEqualTo("COMPLETED"));
    }

    @Test
    void a_sweep_cancelled_with_scancel_and_submitted_again_trains_every_run_once() throws Exception {
        String experiment = "tabular-scancel";
        create(experiment, 6, 8);
        Map<String, String> env = jobEnv(Map.of("TRACKER_EXPERIMENT", experiment));

        String first = slurm.submit(submitDir, env, "--array=0-3", TEMPLATE.toString());
        Map<String, Object> counts = awaitCounts(experiment, c -> n(c, "completed") >= 2 && n(c, "running") >= 1);
        slurm.cancel(first);
        List<SlurmCluster.ArrayTask> cancelled = slurm.awaitEnd(first, Duration.ofMinutes(1));
        assertThat(cancelled).as("scancel cancels every task, running or pending: " + cancelled)
                .allSatisfy(t -> assertThat(t.state()).isEqualTo("CANCELLED"));

        List<Map<String, Object>> afterCancel = export(experiment);
        Map<String, Long> seen = afterCancel.stream().filter(r -> ((Number) r.get("attempt")).intValue() > 0)
                .collect(Collectors.groupingBy(SlurmArrayProcessTest::outcome, Collectors.counting()));
        System.out.println("SlurmArrayProcessTest: at scancel " + counts + "; the runs it reached ended " + seen);
        assertThat(status(experiment)).as("every run in flight was handed back (preempted or failed): " + seen + "\n" + jobLogs())
                .containsEntry("running", 0L);
        assertThat(seen.getOrDefault("preempted", 0L) + seen.getOrDefault("failed", 0L))
                .as("the runs in flight at scancel were stopped, not finished: " + seen).isPositive();
        assertThat(SlurmCluster.processesIn(submitDir)).as("nothing of the cancelled job is left running").isEmpty();

        // Runs ended failed by the signal need a requeue (a known bug: they should end preempted);
        // preempted runs go back to the queue by themselves and resume from their checkpoints.
        for (int resubmit = 1; n(status(experiment), "completed") < 12; resubmit++) {
            assertThat(resubmit).as("sweep still unfinished after 3 resubmissions: " + status(experiment) + "\n" + jobLogs())
                    .isLessThanOrEqualTo(3);
            assertThat(CliRun.in(submitDir).database(DB).run("requeue", "-e", experiment).code()).isZero();
            slurm.awaitEnd(slurm.submit(submitDir, env, "--array=0-1", TEMPLATE.toString()), Duration.ofMinutes(3));
        }
        assertEveryRunTrainedOnce(experiment, 12);
        assertThat(export(experiment)).as("the runs stopped by scancel were resumed later")
                .anySatisfy(r -> assertThat(((Number) r.get("attempt")).intValue()).isGreaterThan(1));
    }

    /** A definition of {@code trials} settings on two datasets, trained by {@link #TRAINER} for {@code epochs}. */
    private void create(String name, int trials, int epochs) throws IOException {
        Path trainer = submitDir.resolve("train.sh");
        Files.writeString(trainer, TRAINER);
        Files.setPosixFilePermissions(trainer, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = submitDir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [a, b]
                models:
                  m: {datasets: [a, b], params: {x: {distribution: int_uniform, min: 1, max: 1000}}}
                search: {method: random, trials: %d, seed: 1}
                command: %s --epochs=%d {args}
                """.formatted(name, trials, trainer, epochs));
        CliRun.Result r = CliRun.in(submitDir).database(DB).run("create", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Files.createDirectories(submitDir.resolve("logs")); // the template's --output directory
    }

    /**
     * What the jobs get (sbatch exports the submitting environment): the test's database, {@code tracker}
     * on the PATH as a script that starts the test's class path, and where the trainer notes what it trained.
     */
    private Map<String, String> jobEnv(Map<String, String> extra) throws IOException {
        Path bin = Files.createDirectories(submitDir.resolve("bin"));
        Path tracker = bin.resolve("tracker");
        List<String> java = new TrackerProcess(submitDir).builder("tracker.Tracker").command();
        Files.writeString(tracker, "#!/bin/sh\nexec " + java.stream().map(SlurmArrayProcessTest::shellQuoted)
                .collect(Collectors.joining(" ")) + " \"$@\"\n");
        Files.setPosixFilePermissions(tracker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", submitDir.toString());
        env.put("TRACKER_HOME", submitDir.resolve("data").toString());
        env.put("TRACKER_URI", DB.uri());
        env.put("TRACKER_DATABASE", DB.name());
        env.put("NO_COLOR", "1");
        env.put("TRAINED", submitDir.resolve("trained.txt").toString());
        env.putAll(extra);
        return env;
    }

    /** Every run completed, at its latest attempt, by a trainer that ran to the end exactly once; nothing left running. */
    private void assertEveryRunTrainedOnce(String experiment, int runs) throws IOException, InterruptedException {
        List<Map<String, Object>> rows = export(experiment);
        assertThat(rows).as(jobLogs()).hasSize(runs)
                .allSatisfy(r -> assertThat(r.get("status")).as(r.get("run") + "\n" + jobLogs()).isEqualTo("completed"));
        Path trained = submitDir.resolve("trained.txt");
        List<String> trainedRuns = Files.exists(trained) ? Files.readAllLines(trained) : List.of();
        assertThat(trainedRuns).as("each run trained to the end once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(rows.stream().map(r -> (String) r.get("run")).toList());
        assertThat(status(experiment)).containsEntry("running", 0L).containsEntry("pending", 0L);
        assertThat(SlurmCluster.processesIn(submitDir)).as("nothing of the job is left running").isEmpty();
    }

    private List<Map<String, Object>> export(String experiment) {
        CliRun.Result r = CliRun.in(submitDir).database(DB).run("export", "-e", experiment, "-o", "jsonl");
        assertThat(r.code()).as(r.toString()).isZero();
        return r.out().lines().filter(l -> !l.isBlank()).map(Json::parseObject).toList();
    }

    /** A preempted run is pending again; it is told apart by the attempt it already had. */
    private static String outcome(Map<String, Object> run) {
        String s = (String) run.get("status");
        return s.equals("pending") ? "preempted" : s;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(String experiment) {
        CliRun.Result r = CliRun.in(submitDir).database(DB).run("status", "-e", experiment, "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> counts = (Map<String, Object>) Json.parseObject(r.out().strip()).get("counts");
        Map<String, Object> asLongs = new HashMap<>();
        counts.forEach((k, v) -> asLongs.put(k, ((Number) v).longValue()));
        return asLongs;
    }

    private static long n(Map<String, Object> counts, String status) {
        return ((Number) counts.getOrDefault(status, 0L)).longValue();
    }

    private Map<String, Object> awaitCounts(String experiment, java.util.function.Predicate<Map<String, Object>> condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Map<String, Object> counts = status(experiment);
            if (condition.test(counts)) {
                return counts;
            }
            assertThat(System.nanoTime()).as("the sweep did not get going: " + counts + "\n" + jobLogs()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The jobs' output files and the daemons' logs, for failure messages. */
    private String jobLogs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(submitDir.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                b.append("--- ").append(f.getFileName()).append(" ---\n").append(Files.readString(f, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            b.append("(no job logs: ").append(e.getMessage()).append(")\n");
        }
        return b.append(slurm.logs()).toString();
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
