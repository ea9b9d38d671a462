package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** The trainer-line protocol as {@code log --stdin} takes it, steps and progress, and what {@code show RUN} and {@code export} make of them. */
class TrainerProtocolTest {
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
                objective: {metric: loss, phase: train, goal: minimize}
                datasets: [iris]
                models:
                  mlp: {datasets: [iris], params: {lr: [0.1]}}
                search: {trials: 1, replicates: 2}
                """.formatted(name));
        assertThat(cli().run("create", f.toString()).code()).isZero();
        claim = Json.parseObject(cli().run("next", "-e", name).out().strip());
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    CliRun worker() {
        return cli().env("TRACKER_RUN", run()).env("TRACKER_TOKEN", (String) claim.get("token"));
    }

    String run() {
        return (String) claim.get("run");
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

    Document runDoc() {
        return DB.mongo().getCollection("runs").find(Filters.eq("_id", run())).first();
    }

    List<Document> steps() {
        return DB.mongo().getCollection("steps").find(Filters.eq("run", run())).into(new java.util.ArrayList<>());
    }

    @Test
    void log_stdin_takes_every_line_run_takes_and_a_checkpoint_beside_metrics_keeps_both() {
        CliRun.Result r = logStdin("""
                training mlp on iris
                {"epoch": 1, "train": {"loss": 0.9}, "checkpoint": "/ck/1"}
                {"checkpoint": "/ck/1b"}
                {"artifacts": {"model": "s3://b/model.pt"}}
                {"note": "lr halved"}
                {"epoch": 2, "train.loss": 0.5, "note": "second"}
                """);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("training mlp on iris\n");
        assertThat(StoredData.epoch(DB.mongo(), run(), 1).get("train", Document.class).getDouble("loss")).isEqualTo(0.9);
        Document doc = runDoc();
        assertThat(doc.getString("checkpoint")).isEqualTo("/ck/1b");
        assertThat(doc.get("artifacts", Document.class).getString("model")).isEqualTo("s3://b/model.pt");
        assertThat(doc.getList("notes", Document.class).stream().map(n -> n.getString("text")).toList())
                .containsExactly("lr halved\nsecond");
        assertThat(doc.get("summary", Document.class).get("objective", Document.class).getDouble("best")).isEqualTo(0.5);
    }

    @Test
    void steps_are_stored_once_per_step_with_the_last_values_and_a_step_only_run_ranks_by_its_steps() {
        CliRun.Result r = logStdin("""
                {"step": 100, "progress": 0.1, "train.loss": 2.0}
                {"step": 200, "progress": 0.2, "train.loss": 1.5}
                step=200 progress=0.25 train.loss=1.2
                """);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(worker().run("log", "--step", "300", "--progress", "0.3", "train.loss=1.4").code()).isZero();
        assertThat(steps()).hasSize(3);
        Document summary = runDoc().get("summary", Document.class);
        assertThat(summary.getString("basis")).isEqualTo("steps");
        Document objective = summary.get("objective", Document.class);
        assertThat(objective.getDouble("best")).isEqualTo(1.2);
        assertThat(objective.get("bestEpoch", Number.class).longValue()).isEqualTo(200);
        assertThat(runDoc().get("progress", Document.class).getDouble("fraction")).isEqualTo(0.3);

        // The first epoch: the objective ranks by the epochs from now on, as the definition's metric per epoch.
        assertThat(worker().run("log", "--epoch", "1", "train.loss=1.3").code()).isZero();
        summary = runDoc().get("summary", Document.class);
        assertThat(summary.get("basis")).isNull();
        assertThat(summary.get("objective", Document.class).getDouble("best")).isEqualTo(1.3);
        assertThat(summary.get("lastEpoch", Number.class).longValue()).isEqualTo(1);
        // Steps within an epoch keep the epoch they were logged in; they no longer move the summary.
        assertThat(logStdin("{\"epoch\": 2, \"step\": 400, \"train.loss\": 0.1}\n").code()).isZero();
        assertThat(runDoc().get("summary", Document.class).get("objective", Document.class).getDouble("best")).isEqualTo(1.3);
        assertThat(steps().stream().filter(d -> d.get("step", Number.class).longValue() == 400).findFirst().orElseThrow()
                .get("epoch", Number.class).longValue()).isEqualTo(2);
    }

    @Test
    void tags_come_from_trainer_lines_and_log_tag_once_each_and_show_run_shows_them() {
        assertThat(logStdin("""
                {"epoch": 1, "train.loss": 0.9, "tags": ["gpu:a100", "warm-start"]}
                {"tags": "gpu:a100"}
                {"tags": ["bad tag"]}
                """).code()).isEqualTo(9); // the bad line alone is rejected
        CliRun.Result log = worker().run("log", "--tag", "baseline", "--tag", "gpu:a100");
        assertThat(log.code()).as(log.toString()).isZero();
        assertThat(runDoc().getList("tags", String.class)).containsExactly("gpu:a100", "warm-start", "baseline");
        CliRun.Result bad = worker().run("log", "--tag", "bad tag");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--tag: tag 'bad tag' is not a tag");
        CliRun.Result show = cli().run("show", run());
        assertThat(show.out()).containsPattern("\ntags +gpu:a100, warm-start, baseline\n");
        for (int k = 0; k < 3; k++) {
            assertThat(worker().run("log", "--tag", "k" + k).code()).isZero();
        }
        List<String> many = new java.util.ArrayList<>(List.of("log"));
        for (int i = 0; i < 95; i++) {
            many.addAll(List.of("--tag", "t" + i)); // 6 + 95 > 100
        }
        CliRun.Result tooMany = worker().run(many.toArray(String[]::new));
        assertThat(tooMany.code()).as(tooMany.toString()).isEqualTo(9);
        assertThat(tooMany.err()).contains("would have 101 tags, more than 100; nothing was logged");
        assertThat(runDoc().getList("tags", String.class)).hasSize(6);
    }

    @Test
    void show_run_shows_steps_progress_and_notes_and_export_gives_the_steps() {
        assertThat(logStdin("""
                {"step": 10, "progress": 0.5, "train.loss": 2.0}
                {"step": 20, "progress": 0.75, "train.loss": 1.0, "note": "warm-up done"}
                """).code()).isZero();
        CliRun.Result show = cli().run("show", run());
        assertThat(show.code()).as(show.toString()).isZero();
        assertThat(show.out()).contains("progress    75.0% (reported ").contains("NOTES").contains("  warm-up done")
                .contains("      train\nSTEP   loss\n  10  2.000\n  20  1.000\n").doesNotContain("EPOCH")
                .containsPattern("\nMETRIC +CURVE +FIRST +LAST +MIN +MAX\ntrain.loss +█▁ +2.000 +1.000");
        CliRun.Result json = cli().run("show", run(), "-o", "json");
        Map<String, Object> shown = Json.parseObject(json.out().strip());
        assertThat((List<?>) shown.get("steps")).hasSize(2);

        CliRun.Result csv = cli().run("export", "-e", name, "--steps");
        assertThat(csv.code()).as(csv.toString()).isZero();
        assertThat(csv.out()).isEqualTo("run,model,dataset,step,epoch,phase,metric,value\n"
                + run() + ",mlp,iris,10,,train,loss,2.0\n" + run() + ",mlp,iris,20,,train,loss,1.0\n");
        CliRun.Result jsonl = cli().run("export", "-e", name, "--steps", "-o", "jsonl");
        assertThat(jsonl.out().lines().findFirst().orElseThrow())
                .isEqualTo("{\"run\":\"" + run() + "\",\"model\":\"mlp\",\"dataset\":\"iris\",\"step\":10,\"epoch\":null,"
                        + "\"phase\":\"train\",\"metric\":\"loss\",\"value\":2.0}");
    }

    @Test
    void the_epoch_table_of_show_run_fits_80_columns_with_six_metrics() {
        StringBuilder lines = new StringBuilder();
        for (int e = 1; e <= 12; e++) {
            lines.append("{\"epoch\": ").append(e).append(", \"train\": {\"loss\": 0.63493").append(e)
                    .append(", \"accuracy\": 0.833333}, \"val\": {\"loss\": 0.546206, \"accuracy\": 0.933333},")
                    .append(" \"test\": {\"loss\": 0.676362, \"accuracy\": 0.833333}}\n");
        }
        assertThat(logStdin(lines.toString()).code()).isZero();
        CliRun.Result show = cli().env("COLUMNS", null).run("show", run());
        assertThat(show.code()).as(show.toString()).isZero();
        // The tables must fit (the run's id and its directory are as long as they are).
        String tables = show.out().substring(show.out().indexOf("\n\n"));
        assertThat(tables.lines().filter(l -> l.length() > 80).toList()).as(show.out()).isEmpty();
        assertThat(tables).contains("METRIC          CURVE");

        // Narrower than that: blocks of the metrics that fit, each with the epoch.
        CliRun.Result narrow = cli().env("COLUMNS", "40").run("show", run());
        String epochTables = narrow.out().substring(narrow.out().indexOf("\n\n"), narrow.out().indexOf("METRIC"));
        assertThat(epochTables.lines().filter(l -> l.length() > 40).toList()).as(narrow.out()).isEmpty();
        assertThat(epochTables.lines().filter(l -> l.startsWith("EPOCH")).count()).as(narrow.out()).isEqualTo(2);
        assertThat(show.out()).containsPattern("test\\s+train\\s+val\\n\\s*EPOCH\\s+accuracy\\s+loss\\s+accuracy\\s+loss\\s+accuracy\\s+loss\\n");
    }

    @Test
    void every_output_of_next_gives_what_log_and_end_need() throws Exception {
        // the claim of @BeforeEach came as json; the second run as each other format, one after the other
        assertThat(cli().run("end", "--run", run(), "--token", (String) claim.get("token"), "--status", "completed").code()).isZero();
        Path f = tmp.resolve("more.yaml");
        Files.writeString(f, """
                name: %s-formats
                objective: {metric: loss, phase: train, goal: minimize}
                datasets: [iris]
                models:
                  mlp: {datasets: [iris], params: {name: ["a b 'c'"]}}
                search: {trials: 1, replicates: 3}
                """.formatted(name));
        assertThat(cli().run("create", f.toString()).code()).isZero();
        for (String format : List.of("args", "env", "yaml")) {
            CliRun.Result next = cli().run("next", "-e", name + "-formats", "-o", format);
            assertThat(next.code()).as(next.toString()).isZero();
            // What a shell script does with it: eval, then log and end the run it names.
            String use = switch (format) {
                case "args" -> "eval \"set -- $CLAIM\"; tracker_log() { printf '%s\\n' \"$1\" \"$2\"; }; tracker_log \"$@\"; shift 2;"
                        + " printf '%s\\n' \"$@\"";
                case "env" -> "eval \"$CLAIM\"; printf '%s\\n' \"--run=$TRACKER_RUN\" \"--token=$TRACKER_TOKEN\"";
                default -> "printf '%s\\n' \"$CLAIM\" | sed -n 's/^run: \"\\(.*\\)\"$/--run=\\1/p; s/^token: \"\\(.*\\)\"$/--token=\\1/p'";
            };
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", use);
            pb.environment().put("CLAIM", next.out());
            Process p = pb.start();
            List<String> words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(p.waitFor()).isZero();
            assertThat(words.get(0)).as(format + ": " + next.out()).startsWith("--run=" + name + "-formats@1/mlp/iris/");
            if (format.equals("args")) {
                assertThat(words.subList(2, words.size())).containsExactly("--name=a b 'c'");
            }
            CliRun.Result log = cli().run("log", words.get(0), words.get(1), "--epoch", "1", "train.loss=0.5");
            assertThat(log.code()).as(format + ": " + log).isZero();
            CliRun.Result end = cli().run("end", words.get(0), words.get(1), "--status", "completed");
            assertThat(end.code()).as(format + ": " + end).isZero();
        }
        CliRun.Result list = cli().run("list", "-o", "json");
        assertThat(list.out()).contains("\"completed\":3");
    }
}
