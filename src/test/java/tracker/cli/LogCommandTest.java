package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import tracker.protocol.TrainerLines;
import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.TestNames;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;

class LogCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;
    Map<String, Object> claim;

    @BeforeEach
    void claimARun(TestInfo info) throws IOException {
        name = TestNames.experiment(info);
        Path f = tmp.resolve("exp.yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, phase: val, goal: maximize}
                datasets: [iris]
                models:
                  mlp: {datasets: [iris], params: {lr: [0.1]}}
                search: {trials: 1, replicates: 2}
                """.formatted(name));
        assertThat(CliRun.in(tmp).database(DB).run("create", f.toString()).code()).isZero();
        claim = Json.parseObject(CliRun.in(tmp).database(DB).run("next", "-e", name).out().strip());
    }

    CliRun worker() {
        return CliRun.in(tmp).database(DB).env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", (String) claim.get("token"));
    }

    CliRun.Result logStdin(String input) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return worker().run("log", "--stdin");
        } finally {
            System.setIn(before);
        }
    }

    Document epoch(long e) {
        return StoredData.epoch(DB.mongo(), (String) claim.get("run"), e);
    }

    Document run() {
        return DB.mongo().getCollection("runs").find(Filters.eq("_id", claim.get("run"))).first();
    }

    @Test
    void logs_pairs_per_phase_and_keeps_a_summary() {
        CliRun.Result r = worker().run("log", "--epoch", "1", "train.loss=0.41", "val.acc=0.88", "test.acc=0.87");
        assertThat(r.code()).as(r.toString()).isZero();
        Document e1 = epoch(1);
        assertThat(e1.get("train", Document.class).getDouble("loss")).isEqualTo(0.41);
        assertThat(e1.get("val", Document.class).getDouble("acc")).isEqualTo(0.88);
        assertThat(e1.get("test", Document.class).getDouble("acc")).isEqualTo(0.87);
        Document objective = run().get("summary", Document.class).get("objective", Document.class);
        assertThat(objective.getDouble("best")).isEqualTo(0.88);
        assertThat(objective.get("bestEpoch", Number.class).longValue()).isEqualTo(1);
    }

    @Test
    void stdin_takes_nested_flat_and_plain_lines_and_keeps_nan_and_infinity() {
        CliRun.Result r = logStdin("""
                {"epoch": 1, "train": {"loss": 0.9}, "val": {"acc": 0.5}}
                {"epoch": 2, "train.loss": NaN, "val.acc": 0.7}
                Epoch 3: training is going well
                epoch=3 train.loss=inf val.acc=0.6 custom_phase.f1=0.3

                """);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as("other output passes through").isEqualTo("Epoch 3: training is going well\n\n");
        assertThat(epoch(1).get("val", Document.class).getDouble("acc")).isEqualTo(0.5);
        assertThat(epoch(2).get("train", Document.class).getDouble("loss")).isNaN();
        assertThat(epoch(3).get("train", Document.class).getDouble("loss")).isInfinite();
        assertThat(epoch(3).get("custom_phase", Document.class).getDouble("f1")).isEqualTo(0.3);
        Document summary = run().get("summary", Document.class);
        assertThat(summary.get("objective", Document.class).getDouble("best")).isEqualTo(0.7);
        assertThat(summary.get("objective", Document.class).getDouble("last")).isEqualTo(0.6);
        Document loss = summary.get("metrics", Document.class).get("train", Document.class).get("loss", Document.class);
        assertThat(loss.getDouble("last")).isInfinite();
        assertThat(loss.getDouble("min")).isEqualTo(0.9);
    }

    @Test
    void a_bad_line_is_rejected_alone_with_its_line_number() {
        CliRun.Result r = logStdin("""
                {"epoch": 1, "val": {"acc": 0.5}}
                {"epoch": 2, "val": {"acc": "high"}}
                {"epoch": 3, "val.a$b": 1}
                {"epoch": 4, "val": {"acc": 0.6}
                {"epoch": 5, ".acc": 0.6}
                {"val": {"acc": 0.6}}
                {"epoch": 7, "val": {"acc": 0.7}}
                """);
        assertThat(r.code()).as(r.toString()).isEqualTo(9);
        assertThat(r.err()).contains("stdin:2: val.acc must be a number, not the string \"high\"").contains("stdin:3: 'a$b' is not a valid metric name")
                .contains("stdin:4: not valid JSON").contains("stdin:5:").contains("stdin:6: metric values need an \"epoch\" or a \"step\"")
                .contains("5 of 7 metric lines rejected").contains("the other 2 lines (2 values) were logged");
        assertThat(epoch(1)).isNotNull();
        assertThat(epoch(7)).isNotNull();
        for (long e = 2; e <= 6; e++) {
            assertThat(epoch(e)).as("epoch %d", e).isNull();
        }
    }

    @Test
    void logging_an_epoch_again_overwrites_and_epochs_may_come_in_any_order() {
        worker().run("log", "--epoch", "5", "val.acc=0.5");
        worker().run("log", "--epoch", "2", "val.acc=0.9", "train.loss=1.0");
        worker().run("log", "--epoch", "5", "val.acc=0.6");
        assertThat(DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", claim.get("run")))).isEqualTo(2);
        assertThat(epoch(5).get("val", Document.class).getDouble("acc")).isEqualTo(0.6);
        assertThat(epoch(2).get("train", Document.class).getDouble("loss")).isEqualTo(1.0);
        Document objective = run().get("summary", Document.class).get("objective", Document.class);
        assertThat(objective.getDouble("last")).as("the latest epoch's value").isEqualTo(0.6);
        assertThat(objective.getDouble("best")).isEqualTo(0.9);
        assertThat(objective.get("bestEpoch", Number.class).longValue()).isEqualTo(2);
    }

    @Test
    void a_stale_token_writes_nothing() {
        CliRun.Result r = CliRun.in(tmp).database(DB).env("TRACKER_RUN", (String) claim.get("run")).env("TRACKER_TOKEN", "0000")
                .run("log", "--epoch", "1", "val.acc=0.5");
        assertThat(r.code()).isEqualTo(6);
        assertThat(r.err()).contains("lease lost").contains("nothing was written");
        assertThat(epoch(1)).isNull();
        assertThat(run().get("summary")).isNull();
    }

    @Test
    void invalid_names_and_values_are_invalid_input() {
        for (String bad : new String[] {"val.=1", "acc=1", "val.acc=", "$val.acc=1", "val.acc\u0001=1", "val.a.b=1"}) {
            CliRun.Result r = worker().run("log", "--epoch", "1", bad);
            assertThat(r.code()).as(bad + ": " + r).isEqualTo(9);
        }
        assertThat(worker().run("log", "val.acc=1").code()).as("no epoch").isEqualTo(2);
        assertThat(worker().run("log").code()).as("nothing").isEqualTo(2);
        assertThat(DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", claim.get("run")))).isZero();
    }

    @Test
    void a_checkpoint_comes_back_with_the_resumed_run() {
        assertThat(worker().run("log", "--epoch", "3", "val.acc=0.5", "--checkpoint", "s3://bucket/ckpt-3",
                "--artifact", "model=s3://bucket/model.pt", "--note", "halfway").code()).isZero();
        assertThat(worker().run("end", "--status", "preempted").code()).isZero();
        CliRun.Result r = CliRun.in(tmp).database(DB).run("next", "-e", name, "-o", "env");
        assertThat(r.out()).contains("export TRACKER_RUN=" + claim.get("run").toString().replace("@", "@"))
                .contains("export TRACKER_CHECKPOINT=s3://bucket/ckpt-3").contains("export TRACKER_ATTEMPT=2");
        Document run = run();
        assertThat(run.get("artifacts", Document.class).getString("model")).isEqualTo("s3://bucket/model.pt");
        assertThat(run.getList("notes", Document.class).get(0).getString("text")).isEqualTo("halfway");
    }

    @Test
    void a_completed_run_without_the_objective_is_flagged() {
        worker().run("log", "--epoch", "1", "train.loss=0.3");
        CliRun.Result r = worker().run("end", "--status", "completed");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("without any value of the objective");
        assertThat(run().getBoolean("noObjective")).isTrue();
    }

    @Test
    void every_epoch_is_its_own_document() {
        StringBuilder sb = new StringBuilder();
        for (int e = 0; e < 300; e++) {
            sb.append("{\"epoch\": ").append(e).append(", \"train\": {\"loss\": ").append(1.0 / (e + 1)).append("}}\n");
        }
        assertThat(logStdin(sb.toString()).code()).isZero();
        assertThat(DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", claim.get("run")))).isEqualTo(300);
        List<Document> all = DB.mongo().getCollection("metrics").find(Filters.eq("run", claim.get("run"))).into(new java.util.ArrayList<>());
        assertThat(all).allSatisfy(d -> assertThat(d.toJson().length()).isLessThan(400));
        assertThat(run().get("summary", Document.class).get("lastEpoch", Number.class).longValue()).isEqualTo(299);
    }

    @Test
    void quoted_numbers_and_overflowing_numbers_are_rejected_while_spelt_out_infinities_are_data() {
        CliRun.Result r = logStdin("""
                {"epoch": 1, "val": {"acc": "0.9"}}
                {"epoch": "19", "val": {"acc": 0.9}}
                {"epoch": 3, "val.acc": 1e400}
                epoch=4 val.acc=1e400
                {"epoch": 5, "val": {"acc": "inf", "loss": "NaN"}, "train": {"loss": Infinity, "gap": -Infinity}}
                epoch=6 val.acc=-inf val.loss=nan
                {"epoch": 7, "val": {"acc": 01}}
                epoch=8 val.acc=0x10
                """);
        assertThat(r.code()).as(r.toString()).isEqualTo(9);
        assertThat(r.err()).contains("stdin:1: val.acc must be a number, not the string \"0.9\" (write the number without quotes)")
                .contains("stdin:2: epoch must be a whole number, not the string \"19\" (write the number without quotes)")
                .contains("stdin:3: not valid JSON: the number 1e400 is too large")
                .contains("stdin:4: val.acc=1e400 is too large for a number")
                .contains("stdin:7: not valid JSON: a number must not start with 0")
                .contains("stdin:8: val.acc=0x10 is not a number")
                .contains("6 of 8 metric lines rejected");
        assertThat(epoch(5).get("val", Document.class).getDouble("acc")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(epoch(5).get("val", Document.class).getDouble("loss")).isNaN();
        assertThat(epoch(5).get("train", Document.class).getDouble("gap")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(epoch(6).get("val", Document.class).getDouble("acc")).isEqualTo(Double.NEGATIVE_INFINITY);
        for (long e : new long[] {1, 3, 4, 7, 8, 19}) {
            assertThat(epoch(e)).as("epoch %d", e).isNull();
        }
    }

    @Test
    void pathological_lines_are_rejected_alone_and_reading_goes_on() {
        String deep = "{\"epoch\": 2, \"val\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        String endless = "{\"epoch\": 3, \"note\": \"" + "x".repeat(3 * TrainerLines.MAX_LINE) + "\"}";
        String longText = "progress " + "#".repeat(2 * TrainerLines.MAX_LINE);
        CliRun.Result r = logStdin("{\"epoch\": 1, \"val\": {\"acc\": 0.5}}\n" + deep + "\n" + endless + "\n" + longText
                + "\n{\"epoch\": 5, \"val\": {\"acc\": 0.7}}\n");
        assertThat(r.code()).as(r.err()).isEqualTo(9);
        assertThat(r.err()).contains("stdin:2: not valid JSON: nested more than " + Json.MAX_DEPTH + " levels deep")
                .contains("stdin:3: longer than " + TrainerLines.MAX_LINE + " characters; line rejected")
                .contains("2 of 4 metric lines rejected").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).as("other output passes through whole, however long").isEqualTo(longText + "\n");
        assertThat(epoch(1)).isNotNull();
        assertThat(epoch(5)).isNotNull();
    }

    @Test
    void a_hundred_thousand_lines_from_a_file_are_all_logged_and_the_command_ends() throws IOException {
        Path file = tmp.resolve("metrics.jsonl");
        Files.writeString(file, epochLines(LOTS));
        InputStream before = System.in;
        CliRun.Result r;
        try (InputStream in = Files.newInputStream(file)) {
            System.setIn(in);
            r = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> worker().run("log", "--stdin"), "log --stdin never ended");
        } finally {
            System.setIn(before);
        }
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", claim.get("run")))).isEqualTo(LOTS);
        assertThat(run().get("summary", Document.class).get("lastEpoch", Number.class).longValue()).isEqualTo(LOTS - 1);
    }

    @Test
    void a_hundred_thousand_lines_piped_by_a_fast_process_into_another_are_all_logged_and_it_exits() throws Exception {
        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name(),
                "TRACKER_RUN", (String) claim.get("run"), "TRACKER_TOKEN", (String) claim.get("token")));
        ProcessBuilder writer = new ProcessBuilder("awk", "BEGIN { for (i = 0; i < " + LOTS + "; i++) "
                + "printf \"{\\\"epoch\\\": %d, \\\"train\\\": {\\\"loss\\\": 1}}\\n\", i }");
        writer.redirectError(ProcessBuilder.Redirect.DISCARD);
        ProcessBuilder log = tracker.builder("tracker.Tracker", "log", "--stdin").redirectInput(ProcessBuilder.Redirect.PIPE);
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(writer, log));
        CliRun.Result r = TrackerProcess.finish(pipeline.get(1), Duration.ofSeconds(90));
        assertThat(pipeline.get(0).waitFor()).isZero();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(DB.mongo().getCollection("metrics").countDocuments(Filters.eq("run", claim.get("run")))).isEqualTo(LOTS);
        assertThat(worker().run("end", "--status", "completed").code()).as("the worker loop reaches its end").isZero();
    }

    static final int LOTS = 100_000;

    static String epochLines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int e = 0; e < n; e++) {
            sb.append("{\"epoch\": ").append(e).append(", \"train\": {\"loss\": 1}}\n");
        }
        return sb.toString();
    }
}
