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
        assertThat(r.err()).contains("ValueError: learning rate too high").contains("1 failed");
        Document run = onlyRun();
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getInteger("exitCode")).isEqualTo(3);
        assertThat(run.getString("message")).isEqualTo("exit code 3: ValueError: learning rate too high");
        assertThat(run.get("output", Document.class).getString("tail")).contains("Traceback (most recent call last):");
        assertThat(epochs(run.getString("_id"))).hasSize(1); // what it logged before failing is kept

        CliRun.Result show = cli().run("show", run.getString("_id"));
        assertThat(show.out()).contains("OUTPUT").contains("ValueError: learning rate too high").contains("command");
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
    void without_wait_the_worker_stops_with_exit_4_while_runs_are_in_flight_with_wait_it_takes_over_an_expired_one() throws IOException {
        create("[ok]", "");
        assertThat(cli().run("next", "-e", name, "--lease", "2s").code()).isZero(); // a worker that never comes back
        CliRun.Result r = run("--", TRAINER, "{args}");
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("nothing claimable now, runs are in flight elsewhere");
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
