package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import tracker.protocol.TrainerLines;
import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** tracker run with a scripted trainer (src/test/resources/trainer/scripted-trainer.sh) whose --mode picks what it does. */
class RunCommandTest {
    static final String TRAINER = Path.of("src/test/resources/trainer/scripted-trainer.sh").toAbsolutePath().toString();

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void uniqueName(TestInfo info) {
        name = TestNames.experiment(info);
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    /** An experiment with one model whose 'mode' parameter takes these values (grid: one run each). */
    void create(String modes, String extra) throws IOException {
        create(modes, "{method: grid}", extra);
    }

    void create(String modes, String search, String extra) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [d1]
                models:
                  m: {datasets: [d1], params: {mode: %s}}
                search: %s
                runs: {lease: 30s}
                """.formatted(name, modes, search) + extra);
        CliRun.Result r = cli().run("create", f.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    CliRun.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("run", "-e", name));
        all.addAll(Arrays.asList(args));
        return cli().run(all.toArray(String[]::new));
    }

    List<Document> runs() {
        return DB.mongo().getCollection("runs").find(Filters.eq("experiment", name + "@1")).sort(Sorts.ascending("_id")).into(new ArrayList<>());
    }

    Document onlyRun() {
        List<Document> r = runs();
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    List<Document> epochs(String run) {
        return StoredData.epochs(DB.mongo(), run);
    }

    @Test
    void a_successful_command_is_logged_epoch_by_epoch_and_ends_completed() throws IOException {
        create("[ok]", "");
        CliRun.Result r = run("--", TRAINER, "--epochs={param.mode}", "{args}", "--epochs=4");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("training m on d1").contains("finished").doesNotContain("\"epoch\"");
        assertThat(r.err()).contains("finished (nothing left to run in " + name + "@1): 1 run (1 completed)");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(run.getInteger("exitCode")).isZero();
        assertThat(run.getList("commandLine", String.class)).containsExactly(TRAINER, "--epochs=ok", "--mode=ok", "--epochs=4");
        assertThat(epochs(run.getString("_id"))).extracting(e -> e.get("epoch")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(epochs(run.getString("_id")).get(3).get("val", Document.class).getDouble("acc")).isEqualTo(0.4);
        assertThat(run.get("output", Document.class).getString("tail")).contains("training m on d1").endsWith("finished");
        assertThat(run.getDate("startedAt")).isNotNull();
    }

    @Test
    void a_failing_command_ends_failed_with_its_exit_code_and_the_tail_of_its_output() throws IOException {
        create("[fail]", "");
        CliRun.Result r = run("--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero(); // a failed run is data, not a broken worker
        Document run = onlyRun();
        String id = run.getString("_id");
        // said while the worker runs: which run, how its command ended, its last lines; and named in the summary
        assertThat(r.err()).contains("tracker: run " + id + " (m on d1) ended failed: exit code 3; its last lines:\n"
                        + "tracker:   | Traceback (most recent call last):\n"
                        + "tracker:   | ValueError: learning rate too high\n")
                .contains("1 run (1 failed)").contains("failed run: " + id + " (exit code 3); 'tracker show RUN' has each one's output");
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getInteger("exitCode")).isEqualTo(3);
        assertThat(run.getString("message")).isEqualTo("exit code 3: ValueError: learning rate too high");
        assertThat(run.get("output", Document.class).getString("tail")).contains("Traceback (most recent call last):");
        assertThat(epochs(run.getString("_id"))).hasSize(1); // what it logged before failing is kept

        CliRun.Result show = cli().run("show", run.getString("_id"));
        assertThat(show.out()).contains("OUTPUT").contains("ValueError: learning rate too high").contains("command");
    }

    @Test
    void run_o_json_prints_one_object_on_stdout_with_the_outcomes_and_the_failed_runs() throws IOException {
        create("[ok, fail]", "");
        CliRun.Result r = run("-o", "json", "--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        // stdout holds the JSON object alone: the commands' output went to stderr
        Map<String, Object> summary = tracker.json.Json.parseObject(r.out().strip());
        assertThat(r.err()).contains("ValueError: learning rate too high");
        String failedId = runs().stream().filter(d -> d.getString("status").equals("failed")).findFirst().orElseThrow().getString("_id");
        assertThat(summary).containsEntry("experiment", name + "@1").containsEntry("exit_code", 0L)
                .containsEntry("reason", "nothing_left").containsEntry("runs", 2L)
                .containsEntry("outcomes", Map.of("completed", 1L, "failed", 1L));
        assertThat((List<?>) summary.get("failed")).singleElement()
                .isEqualTo(Map.of("run", failedId, "status", "failed", "why", "exit code 3"));
        assertThat(summary.get("message")).isEqualTo("nothing left to run in " + name + "@1");
    }

    @Test
    void a_crash_without_output_is_a_failure_that_says_it_was_killed() throws IOException {
        create("[crash]", "");
        CliRun.Result r = run("--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getInteger("exitCode")).isEqualTo(137);
        assertThat(run.getString("message")).isEqualTo("killed by SIGKILL (exit code 137), no output");
        assertThat(r.err()).contains("ended failed: killed by SIGKILL (exit code 137); it printed nothing");
    }

    /**
     * A command the kernel's OOM killer ends, for real: it moves itself into a memory cgroup limited to
     * 48 MB and holds more. Making the cgroup needs root and a writable cgroup v1 memory hierarchy
     * (under v2 a cgroup with processes cannot give its children a memory limit); elsewhere skipped.
     */
    @Test
    void a_command_killed_by_the_oom_killer_ends_out_of_memory() throws Exception {
        Path cgroup = memoryLimitedCgroup("48M");
        try {
            create("[oom]", "");
            CliRun.Result r = cli().env("OOM_CGROUP", cgroup.toString()).run("run", "-e", name, "--", TRAINER, "{args}");
            assertThat(r.code()).as(r.toString()).isZero();
            Document run = onlyRun();
            assertThat(run.getString("status")).as(r.toString()).isEqualTo("out_of_memory");
            assertThat(run.getString("message")).startsWith("out of memory: killed by SIGKILL (exit code 137) by the kernel's OOM killer (oom_kill in ")
                    .endsWith(": allocating");
            assertThat(r.err()).contains("1 run (1 out of memory)").contains("ended out_of_memory: killed by SIGKILL");
        } finally {
            for (int i = 0; i < 50 && !deleted(cgroup); i++) {
                Thread.sleep(100); // its processes are dead; the kernel lets go of it a moment later
            }
        }
    }

    static boolean deleted(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A new cgroup v1 memory cgroup under this process's own, limited to {@code limit} of memory and swap. */
    Path memoryLimitedCgroup(String limit) throws IOException {
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3))
                .filter(p -> p.length == 3 && List.of(p[1].split(",")).contains("memory")).map(p -> p[2]).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(own != null, "skipped: no cgroup v1 memory hierarchy here (needs root and cgroup v1)");
        Path dir = Path.of("/sys/fs/cgroup/memory", own.substring(1), "tracker-oom-" + ProcessHandle.current().pid() + "-" + name);
        try {
            Files.createDirectory(dir);
            Files.writeString(dir.resolve("memory.limit_in_bytes"), limit);
            if (Files.exists(dir.resolve("memory.memsw.limit_in_bytes"))) {
                Files.writeString(dir.resolve("memory.memsw.limit_in_bytes"), limit); // no swapping out of it
            }
        } catch (IOException e) {
            deleted(dir);
            org.junit.jupiter.api.Assumptions.abort("skipped: cannot make a memory-limited cgroup here (" + e + "); needs root and cgroup v1");
        }
        return dir;
    }

    @Test
    void progress_bars_of_parallel_runs_become_plain_attributed_lines_when_not_on_a_terminal() throws IOException {
        create("[bar]", "{method: grid, replicates: 2}", "");
        CliRun.Result r = run("--parallel", "2", "--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> ids = runs().stream().map(d -> d.getString("_id").substring(d.getString("_id").indexOf('/') + 1)).toList();
        for (String id : ids) {
            // the bar's final state, once, attributed; not its redraws
            assertThat(r.err().lines().filter(l -> l.equals("[" + id + "] 100%|##########| 5/5")).count()).as(r.err()).isEqualTo(1);
            assertThat(r.out().lines()).contains("[" + id + "] done");
        }
        assertThat(r.err()).doesNotContain("\r").doesNotContain(" 40%|").doesNotContain("0/5");
        // the run keeps the bar's final state among its output lines (stdout and stderr in the order they were read)
        assertThat(runs()).allSatisfy(d -> assertThat(d.get("output", Document.class).getString("tail").lines())
                .containsExactlyInAnyOrder("100%|##########| 5/5", "done"));
    }

    @Test
    void each_run_checkpoints_in_a_directory_of_its_own_removed_when_it_completes_unless_kept() throws IOException {
        create("[resumable]", "{method: grid, replicates: 2}", "");
        Path dir = tmp.resolve("ckpt");
        CliRun.Result one = run("--max-runs", "1", "--checkpoint-dir", dir.toString(), "--", TRAINER, "{args}", "--epochs=2");
        assertThat(one.code()).as(one.toString()).isZero();
        assertThat(dir).isEmptyDirectory();
        CliRun.Result kept = run("--checkpoint-dir", dir.toString(), "--keep-checkpoints", "--", TRAINER, "{args}", "--epochs=2");
        assertThat(kept.code()).as(kept.toString()).isZero();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
                    .singleElement().satisfies(p -> assertThat(p).matches(name + "@1_m_d1_\\d/.*\\.ckpt"));
        }
        assertThat(runs()).extracting(d -> d.getString("status")).containsOnly("completed");
    }

    @Test
    void a_run_whose_checkpoint_directory_cannot_be_made_goes_back_to_the_queue_at_once() throws IOException {
        create("[resumable]", "{method: grid, replicates: 1}", "");
        Path dir = Files.createDirectories(tmp.resolve("ckpt"));
        Path blocker = Files.writeString(dir.resolve(name + "@1_m_d1_0"), "a file where the run's directory should be");
        CliRun.Result r = run("--checkpoint-dir", dir.toString(), "--", TRAINER, "{args}", "--epochs=2");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("the worker could not prepare the command").contains("(the run went back to the queue)");
        Document back = onlyRun();
        assertThat(back.getString("status")).as("claimable again now, not after its lease").isEqualTo("pending");
        Files.delete(blocker);
        CliRun.Result again = run("--checkpoint-dir", dir.toString(), "--", TRAINER, "{args}", "--epochs=2");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(onlyRun().getString("status")).isEqualTo("completed");
    }

    @Test
    void the_summary_names_the_first_five_failed_runs_and_counts_the_rest() throws IOException {
        create("[fail]", "{method: grid, replicates: 7}", "");
        CliRun.Result r = run("--max-failures", "0", "--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        String summary = r.err().lines().filter(l -> l.startsWith("tracker: failed runs: ")).findFirst().orElseThrow();
        assertThat(summary.split("\\(exit code 3\\)", -1)).hasSize(6);
        assertThat(summary).endsWith(" and 2 more; 'tracker show RUN' has each one's output");
        assertThat(r.err().lines().filter(l -> l.contains("ended failed: exit code 3; its last lines:")).count()).isEqualTo(7);
    }

    @Test
    void a_run_past_its_time_limit_is_stopped_and_ends_timeout_a_kind_of_failure_that_requeue_selects() throws IOException {
        create("[sleep]", "");
        CliRun.Result r = run("--time-limit", "1s", "--grace", "1s", "--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("ran longer than --time-limit 1s: stopping it").contains("1 run (1 timeout)")
                .contains("ended timeout: ran longer than its time limit of 1s, killed by SIGTERM (exit code 143); its last lines:")
                .contains("failed run: " + onlyRun().getString("_id") + " (timeout: ran longer than its time limit of 1s");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("timeout");
        assertThat(run.getString("message")).isEqualTo("ran longer than its time limit of 1s, killed by SIGTERM (exit code 143): ready");
        assertThat(run.getDate("endedAt")).isNotNull();

        CliRun.Result list = cli().run("list", "-o", "json");
        assertThat(list.out()).contains("\"failed\":1"); // counted as a failure
        assertThat(cli().run("report", "-e", name, "--view", "runs", "--where", "status=timeout", "-o", "csv").out()).contains(",timeout,");
        assertThat(cli().run("status", "-e", name, "--repair").code()).isZero();
        assertThat(cli().run("list", "-o", "json").out()).contains("\"failed\":1"); // a repair agrees: a finished run
        CliRun.Result typo = cli().run("requeue", "-e", name, "--status", "timeuot");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("did you mean 'timeout'?");
        CliRun.Result requeued = cli().run("requeue", "-e", name, "--status", "timeout,out_of_memory");
        assertThat(requeued.out().strip()).as(requeued.toString()).isEqualTo("1");
        assertThat(onlyRun().getString("status")).isEqualTo("pending");
    }

    @Test
    void metric_lines_among_noise_are_logged_bad_ones_rejected_the_rest_passed_through() throws IOException {
        create("[noisy]", "");
        CliRun.Result r = run("--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines().toList()).containsSubsequence("loading data...", "warning: something odd", "done");
        assertThat(r.err()).contains("stdout line 4 rejected: epoch must be a whole number")
                .contains("stdout line 5 rejected: not valid JSON").contains("stdout line 7 rejected");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("completed");
        List<Document> epochs = epochs(run.getString("_id"));
        assertThat(epochs).extracting(e -> e.get("epoch")).containsExactly(1L, 2L, 3L);
        assertThat(epochs.get(1).get("train", Document.class).getDouble("loss")).isNaN();
        assertThat(run.get("artifacts", Document.class).getString("model")).isEqualTo("file:///tmp/m.bin");
        assertThat(run.getList("notes", Document.class)).extracting(n -> n.getString("text")).containsExactly("lr decayed");
        assertThat(run.get("output", Document.class).getString("tail")).contains("3 metric lines were rejected");
    }

    @Test
    void pathological_metric_lines_are_rejected_alone_and_the_reader_keeps_reading() throws IOException {
        create("[hostile-lines]", "");
        CliRun.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("--", TRAINER, "{args}"),
                "a reader that stopped leaves the command blocked on a full pipe");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("stdout line 2 rejected: not valid JSON: nested more than 64 levels deep")
                .contains("stdout line 3 rejected: val.acc must be a number, not the string \"0.9\"")
                .contains("stdout line 4 rejected: not valid JSON: the number 1e400 is too large")
                .contains("stdout line 5 rejected: longer than " + TrainerLines.MAX_LINE + " characters")
                .doesNotContain("StackOverflowError").doesNotContain("\tat ");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("completed");
        List<Document> epochs = epochs(run.getString("_id"));
        assertThat(epochs).extracting(e -> e.get("epoch")).containsExactly(1L, 6L);
        assertThat(epochs.get(1).get("val", Document.class).getDouble("acc")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(run.get("output", Document.class).getString("tail")).contains("4 metric lines were rejected");
    }

    @Test
    void a_very_long_line_and_a_large_output_pass_through_in_bounded_memory_and_a_bounded_tail() throws IOException {
        create("[long-line, large-output]", "");
        CliRun.Result r = run("--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("x".repeat(3_000_000)); // passed through whole, in pieces
        assertThat(r.out().lines().filter(l -> l.equals("a line of chatty output from the trainer")).count()).isEqualTo(300_000);
        for (Document run : runs()) {
            assertThat(run.getString("status")).isEqualTo("completed");
            assertThat(epochs(run.getString("_id"))).hasSize(1);
            Document output = run.get("output", Document.class);
            assertThat(output.getString("tail").length()).isLessThanOrEqualTo(10_000);
            assertThat(output.getBoolean("truncated")).isTrue();
        }
    }

    @Test
    void hostile_parameter_values_reach_the_command_verbatim_and_are_never_run_by_a_shell() throws IOException {
        Path argvDir = Files.createDirectories(tmp.resolve("argv"));
        create("[argv]", "");
        Files.writeString(tmp.resolve(name + ".yaml"), Files.readString(tmp.resolve(name + ".yaml")).replace(
                "params: {mode: [argv]}", "params: {mode: [argv], text: [\"$(touch pwned1)\", \"; touch pwned2 #\", \"a b 'c' \\\"d\\\"\", \"`touch pwned3`\"]}"));
        assertThat(cli().run("create", tmp.resolve(name + ".yaml").toString(), "--new-version").code()).isZero();
        CliRun.Result r = cli().env("ARGV_DIR", argvDir.toString()).run("run", "-e", name + "@2", "--", TRAINER,
                "--mode={param.mode}", "--text={param.text}", "{args}");
        assertThat(r.code()).as(r.toString()).isZero();
        List<List<String>> seen = new ArrayList<>();
        try (var files = Files.list(argvDir)) {
            for (Path p : files.sorted().toList()) {
                String raw = Files.readString(p, StandardCharsets.UTF_8);
                seen.add(Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1)));
            }
        }
        assertThat(seen).hasSize(4);
        assertThat(seen).extracting(a -> a.get(1)).containsExactlyInAnyOrder("--text=$(touch pwned1)", "--text=; touch pwned2 #",
                "--text=a b 'c' \"d\"", "--text=`touch pwned3`");
        assertThat(seen).allSatisfy(a -> assertThat(a).hasSize(4)); // --mode, --text and the two {args} words: nothing split
        try (var files = Files.walk(tmp)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("pwned"))).isEmpty();
        }
        assertThat(Path.of("pwned1")).doesNotExist();
    }

    @Test
    void the_definitions_command_is_used_when_none_is_given_with_dataset_attributes() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: {d1: {path: data/one.csv}}
                models:
                  m: {datasets: [d1], params: {mode: [ok]}}
                command: %s --data {dataset.path} "--tag=a b" {args}
                """.formatted(name, TRAINER));
        assertThat(cli().run("create", f.toString()).code()).isZero();
        CliRun.Result r = run();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(onlyRun().getList("commandLine", String.class)).containsExactly(TRAINER, "--data", "data/one.csv", "--tag=a b", "--mode=ok");
        assertThat(onlyRun().getString("status")).isEqualTo("completed");
    }

    @Test
    void a_command_with_an_unknown_placeholder_or_no_command_at_all_is_refused_before_claiming() throws IOException {
        create("[ok]", "");
        CliRun.Result bad = run("--", TRAINER, "{param.lr}");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("model 'm' has no parameter 'lr'");
        CliRun.Result typo = run("--", TRAINER, "{modle}");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains("did you mean {model}");
        CliRun.Result none = run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("has no command and none was given");
        assertThat(onlyRun().getString("status")).isEqualTo("pending");
    }

    @Test
    void a_command_that_cannot_start_gives_its_run_back_and_stops_the_worker() throws IOException {
        create("[ok]", "");
        CliRun.Result r = run("--", tmp.resolve("no-such-trainer").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot start").contains("the run went back to the queue");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("pending");
        CliRun.Result again = run("--", TRAINER, "{args}");
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(onlyRun().getString("status")).isEqualTo("completed");
    }

    @Test
    void max_runs_parallel_and_max_failures_bound_the_worker() throws IOException {
        create("[ok, fail]", "{method: grid, replicates: 4}", "");
        CliRun.Result two = run("--max-runs", "2", "--", TRAINER, "--mode=ok");
        assertThat(two.code()).as(two.toString()).isZero();
        assertThat(two.err()).contains("--max-runs 2 reached").contains("2 runs (2 completed)");

        CliRun.Result failing = run("--parallel", "2", "--max-failures", "2", "--", TRAINER, "--mode=fail");
        assertThat(failing.code()).as(failing.toString()).isEqualTo(1);
        assertThat(failing.err()).contains("runs in a row failed");
        long failed = runs().stream().filter(d -> d.getString("status").equals("failed")).count();
        assertThat(failed).isBetween(2L, 3L); // two slots: the second may have claimed before the first stopped it

        CliRun.Result rest = run("--parallel", "3", "--", TRAINER, "--mode=ok");
        assertThat(rest.code()).as(rest.toString()).isZero();
        assertThat(rest.out()).containsPattern("\\[m/d1/\\d+\\] training m on d1"); // lines of parallel runs say whose they are
        assertThat(runs()).extracting(d -> d.getString("status")).doesNotContain("pending", "running");
    }

    @Test
    void a_run_taken_away_while_its_command_runs_stops_the_command_and_records_nothing_more() throws Exception {
        create("[sleep]", "");
        CompletableFuture<CliRun.Result> worker = CompletableFuture.supplyAsync(() -> run("--heartbeat", "200ms", "--", TRAINER, "{args}"));
        waitFor(() -> "running".equals(onlyRun().getString("status")) && onlyRun().getDate("startedAt") != null);
        assertThat(cli().run("cancel", "-e", name, "--running").code()).isZero();
        CliRun.Result r = worker.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(r.err()).contains("lease lost").contains("1 lease lost");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("cancelled");
        assertThat(run.get("output")).isNull();
    }

    @Test
    void without_wait_a_worker_with_nothing_left_for_it_ends_as_a_success_with_wait_it_takes_over_an_expired_one() throws IOException {
        create("[ok]", "");
        assertThat(cli().run("next", "-e", name, "--lease", "2s").code()).isZero(); // a worker that never comes back
        CliRun.Result r = run("--", TRAINER, "{args}");
        assertThat(r.code()).as("a scheduler must see success: the runs left are other workers'").as(r.toString()).isZero();
        assertThat(r.err()).contains("nothing left for this worker; the last runs are in flight elsewhere");
        CliRun.Result w = run("--wait", "--", TRAINER, "{args}");
        assertThat(w.code()).as(w.toString()).isZero();
        assertThat(onlyRun().getString("status")).isEqualTo("completed");
        assertThat(onlyRun().getInteger("attempt")).isEqualTo(2);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20s");
            }
            Thread.sleep(50);
        }
    }
}
