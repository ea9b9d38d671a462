package tracker.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Value;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/**
 * export -o tensorboard and -o mlflow, read back by readers written from the published formats
 * (TensorBoardEventReader; MLflow's FileStore layout read with a YAML parser and plain files), every
 * value checked against what the workers logged; and exporting again writes only what changed.
 */
class ExportDirectoriesTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;
    /** run id -> epoch -> "phase/metric" -> value, as logged. */
    final Map<String, Map<Long, Map<String, Double>>> logged = new TreeMap<>();
    final Map<String, String> runOfLr = new TreeMap<>();

    @BeforeEach
    void uniqueName(org.junit.jupiter.api.TestInfo info) {
        name = TestNames.experiment(info);
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    /** Two runs finished (one completed with a step curve too, one failed), one running, one never claimed. */
    void sweep() throws IOException {
        Path f = tmp.resolve("exp.yaml");
        Files.writeString(f, """
                name: %s
                description: what a sweep's note says
                objective: {metric: acc, goal: maximize}
                datasets: [d]
                models:
                  m: {datasets: [d], params: {lr: [0.1, 0.01, 0.001, 0.0001], act: [relu], wide: [true]}}
                search: {method: grid, seed: 1}
                """.formatted(name));
        assertThat(cli().run("create", f.toString()).code()).isZero();
        CliRun a = claim();
        log(a, 1, "train.loss=0.693147180559945", "val.acc=0.51234567890123", "val.f1/macro=0.4");
        log(a, 2, "train.loss=0.4054651081081644", "val.acc=0.7777777777777777", "val.f1/macro=0.6");
        assertThat(a.run("log", "--step", "10", "train.loss=0.9").code()).isZero();
        assertThat(a.run("log", "--step", "20", "train.loss=0.8").code()).isZero();
        assertThat(a.run("end", "--status", "completed").code()).isZero();
        CliRun b = claim();
        log(b, 1, "train.loss=1.25", "val.acc=0.3");
        assertThat(b.run("end", "--status", "failed").code()).isZero();
        CliRun c = claim();
        log(c, 1, "train.loss=2.5", "val.acc=0.125");
        running = c;
        completed = a.env("TRACKER_RUN");
        failed = b.env("TRACKER_RUN");
    }

    CliRun running;
    String completed;
    String failed;

    CliRun claim() {
        Map<String, Object> c = Json.parseObject(cli().run("next", "-e", name, "-o", "json").out().strip());
        String run = (String) c.get("run");
        runOfLr.put(String.valueOf(((Map<?, ?>) c.get("params")).get("lr")), run);
        return cli().env("TRACKER_RUN", run).env("TRACKER_TOKEN", (String) c.get("token"));
    }

    void log(CliRun w, long epoch, String... pairs) {
        List<String> args = new ArrayList<>(List.of("log", "--epoch", Long.toString(epoch)));
        args.addAll(List.of(pairs));
        CliRun.Result r = w.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Double> values = logged.computeIfAbsent(w.env("TRACKER_RUN"), k -> new TreeMap<>())
                .computeIfAbsent(epoch, k -> new TreeMap<>());
        for (String p : pairs) {
            int eq = p.indexOf('=');
            int dot = p.indexOf('.');
            values.put(p.substring(0, dot) + "/" + p.substring(dot + 1, eq), Double.parseDouble(p.substring(eq + 1)));
        }
    }

    static String position(String run) {
        return run.substring(run.lastIndexOf('/') + 1);
    }

    @Test
    void tensorboard_event_files_hold_every_logged_value_and_the_parameters() throws IOException {
        sweep();
        Path dir = tmp.resolve("tb");
        CliRun.Result r = cli().run("export", "-e", name, "-o", "tensorboard", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("exported 3 runs of " + name + "@1 to " + dir + ": 3 written, 0 unchanged (1 run not started yet left out)");
        assertThat(r.out()).isEmpty();

        for (Map.Entry<String, Map<Long, Map<String, Double>>> run : logged.entrySet()) {
            Path runDir = dir.resolve("m").resolve("d").resolve(position(run.getKey()));
            List<Path> files = eventFiles(runDir);
            assertThat(files).as(runDir.toString()).hasSize(1);
            List<DynamicMessage> events = TensorBoardEventReader.read(files.get(0));
            assertThat(TensorBoardEventReader.get(events.get(0), "file_version")).isEqualTo("brain.Event:2");

            // The parameters, as the hparams plugin's session start.
            Map<String, Value> hparams = new TreeMap<>();
            DynamicMessage start = plugin(events.get(1), "_hparams_/session_start_info");
            DynamicMessage startInfo = (DynamicMessage) TensorBoardEventReader.get(start, "session_start_info");
            for (Object entry : (List<?>) TensorBoardEventReader.get(startInfo, "hparams")) {
                DynamicMessage e = (DynamicMessage) entry;
                hparams.put((String) TensorBoardEventReader.get(e, "key"), Value.parseFrom(((com.google.protobuf.Message) TensorBoardEventReader.get(e, "value")).toByteString()));
            }
            String lr = runOfLr.entrySet().stream().filter(x -> x.getValue().equals(run.getKey())).findFirst().orElseThrow().getKey();
            assertThat(hparams.get("lr").getNumberValue()).isEqualTo(Double.parseDouble(lr));
            assertThat(hparams.get("act").getStringValue()).isEqualTo("relu");
            assertThat(hparams.get("wide").getBoolValue()).isTrue();
            assertThat(hparams.get("model").getStringValue()).isEqualTo("m");
            assertThat(hparams.get("dataset").getStringValue()).isEqualTo("d");
            assertThat(TensorBoardEventReader.get(startInfo, "group_name")).isEqualTo("m/d/trial " + position(run.getKey()));

            // Every logged value at step = epoch, tag PHASE/METRIC, as a 32-bit float.
            Map<Long, Map<String, Float>> scalars = new TreeMap<>();
            Map<Long, Float> steps = new TreeMap<>();
            Integer endStatus = null;
            for (DynamicMessage ev : events.subList(2, events.size())) {
                long step = (Long) TensorBoardEventReader.get(ev, "step");
                DynamicMessage summary = (DynamicMessage) TensorBoardEventReader.get(ev, "summary");
                for (Object v : (List<?>) TensorBoardEventReader.get(summary, "value")) {
                    DynamicMessage value = (DynamicMessage) v;
                    String tag = (String) TensorBoardEventReader.get(value, "tag");
                    if (tag.equals("_hparams_/session_end_info")) {
                        DynamicMessage end = plugin(ev, tag);
                        endStatus = (Integer) TensorBoardEventReader.get((DynamicMessage) TensorBoardEventReader.get(end, "session_end_info"), "status");
                    } else if (tag.startsWith("steps/")) {
                        assertThat(tag).isEqualTo("steps/train/loss");
                        steps.put(step, (Float) TensorBoardEventReader.get(value, "simple_value"));
                    } else {
                        assertThat((double) (Double) TensorBoardEventReader.get(ev, "wall_time")).isGreaterThan(1.7e9);
                        scalars.computeIfAbsent(step, k -> new TreeMap<>()).put(tag, (Float) TensorBoardEventReader.get(value, "simple_value"));
                    }
                }
            }
            Map<Long, Map<String, Float>> expected = new TreeMap<>();
            run.getValue().forEach((epoch, values) -> values.forEach((k, v) -> expected.computeIfAbsent(epoch, x -> new TreeMap<>()).put(k, v.floatValue())));
            assertThat(scalars).isEqualTo(expected);
            if (run.getKey().equals(completed)) {
                assertThat(steps).isEqualTo(Map.of(10L, 0.9f, 20L, 0.8f));
                assertThat(endStatus).isEqualTo(1); // STATUS_SUCCESS
            } else if (run.getKey().equals(failed)) {
                assertThat(endStatus).isEqualTo(2); // STATUS_FAILURE
            } else {
                assertThat(endStatus).as("a running run has not ended").isNull();
            }
        }
        try (Stream<Path> s = Files.list(dir.resolve("m").resolve("d"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("the run never claimed is left out")
                    .containsExactlyInAnyOrderElementsOf(logged.keySet().stream().map(ExportDirectoriesTest::position).toList());
        }
    }

    @Test
    void tensorboard_export_again_writes_only_the_runs_that_changed() throws IOException {
        sweep();
        Path dir = tmp.resolve("tb");
        assertThat(cli().run("export", "-e", name, "-o", "tensorboard", dir.toString()).code()).isZero();
        Map<Path, FileTime> before = times(dir);
        CliRun.Result again = cli().run("export", "-e", name, "-o", "tensorboard", dir.toString());
        assertThat(again.err()).contains(": 0 written, 3 unchanged");
        assertThat(times(dir)).isEqualTo(before);

        log(running, 2, "train.loss=2.0", "val.acc=0.25");
        CliRun.Result changed = cli().run("export", "-e", name, "-o", "tensorboard", dir.toString());
        assertThat(changed.err()).contains(": 1 written, 2 unchanged");
        Map<Path, FileTime> after = times(dir);
        Path runDir = dir.resolve("m/d/" + position(running.env("TRACKER_RUN")));
        before.forEach((file, time) -> {
            if (!file.startsWith(runDir)) {
                assertThat(after).containsEntry(file, time);
            }
        });
        assertThat(eventFiles(runDir)).hasSize(1).allSatisfy(f -> assertThat(before).doesNotContainKey(f)); // the old file is gone
        List<DynamicMessage> events = TensorBoardEventReader.read(eventFiles(runDir).get(0));
        assertThat(events.stream().map(e -> (Long) TensorBoardEventReader.get(e, "step"))).contains(2L);
    }

    @Test
    void mlflow_file_store_has_the_experiment_runs_parameters_tags_and_metric_histories() throws IOException {
        sweep();
        Path dir = tmp.resolve("mlruns");
        CliRun.Result r = cli().run("export", "-e", name, "-o", "mlflow", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains(": 3 written, 0 unchanged");
        Yaml yaml = new Yaml();
        Map<String, Object> defaultExperiment = yaml.load(Files.readString(dir.resolve("0/meta.yaml")));
        assertThat(defaultExperiment).containsEntry("name", "Default").containsEntry("experiment_id", "0");
        assertThat(dir.resolve(".trash")).isDirectory();
        Path expDir;
        try (Stream<Path> s = Files.list(dir)) {
            expDir = s.filter(p -> !p.getFileName().toString().equals("0") && !p.getFileName().toString().equals(".trash"))
                    .findFirst().orElseThrow();
        }
        String expId = expDir.getFileName().toString();
        assertThat(expId).matches("[0-9]+");
        Map<String, Object> exp = yaml.load(Files.readString(expDir.resolve("meta.yaml")));
        assertThat(exp).containsEntry("name", name + "@1").containsEntry("experiment_id", expId).containsEntry("lifecycle_stage", "active");
        assertThat(Files.readString(expDir.resolve("tags/mlflow.note.content"))).isEqualTo("what a sweep's note says");

        Map<String, Path> runDirs = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(expDir)) {
            s.filter(p -> Files.exists(p.resolve("meta.yaml"))).forEach(p -> runDirs.put(p.getFileName().toString(), p));
        }
        assertThat(runDirs).hasSize(3);
        Map<String, Integer> statusByRun = new TreeMap<>();
        for (Path runDir : runDirs.values()) {
            Map<String, Object> meta = yaml.load(Files.readString(runDir.resolve("meta.yaml")));
            assertThat(meta.get("run_id")).isEqualTo(runDir.getFileName().toString()).isEqualTo(meta.get("run_uuid"));
            assertThat((String) meta.get("run_id")).matches("[0-9a-f]{32}");
            assertThat(meta).containsEntry("experiment_id", expId).containsEntry("lifecycle_stage", "active").containsEntry("source_type", 4)
                    .containsEntry("tags", List.of());
            assertThat(((Number) meta.get("start_time")).longValue()).isGreaterThan(1_700_000_000_000L);
            String run = Files.readString(runDir.resolve("tags/tracker.run"));
            assertThat(meta).containsEntry("run_name", "m/d/" + position(run));
            assertThat(Files.readString(runDir.resolve("tags/mlflow.runName"))).isEqualTo("m/d/" + position(run));
            statusByRun.put(run, (Integer) meta.get("status"));
            assertThat(Files.readString(runDir.resolve("tags/tracker.model"))).isEqualTo("m");
            assertThat(Files.readString(runDir.resolve("tags/tracker.dataset"))).isEqualTo("d");
            // Parameters as the command got them.
            String lr = runOfLr.entrySet().stream().filter(x -> x.getValue().equals(run)).findFirst().orElseThrow().getKey();
            assertThat(Double.parseDouble(Files.readString(runDir.resolve("params/lr")))).isEqualTo(Double.parseDouble(lr));
            assertThat(Files.readString(runDir.resolve("params/act"))).isEqualTo("relu");
            assertThat(Files.readString(runDir.resolve("params/wide"))).isEqualTo("true");
            // Every logged value, "timestamp value step" lines read as MLflow reads them (float() of the value).
            Map<Long, Map<String, Double>> read = new TreeMap<>();
            Path metrics = runDir.resolve("metrics");
            try (Stream<Path> s = Files.walk(metrics)) {
                for (Path m : s.filter(Files::isRegularFile).toList()) {
                    String key = metrics.relativize(m).toString().replace('\\', '/');
                    if (key.startsWith("steps/")) {
                        assertThat(key).isEqualTo("steps/train/loss");
                        assertThat(Files.readAllLines(m)).hasSize(2).allSatisfy(l -> assertThat(l).matches("[0-9]{13} 0\\.[89] [12]0"));
                        continue;
                    }
                    for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
                        String[] parts = line.split(" ");
                        assertThat(parts).hasSize(3);
                        assertThat(Long.parseLong(parts[0])).isGreaterThan(1_700_000_000_000L);
                        read.computeIfAbsent(Long.parseLong(parts[2]), k -> new TreeMap<>()).put(key, Double.parseDouble(parts[1]));
                    }
                }
            }
            assertThat(read).isEqualTo(logged.get(run));
        }
        assertThat(statusByRun).containsEntry(completed, 3).containsEntry(failed, 4)
                .containsEntry(running.env("TRACKER_RUN"), 1); // FINISHED, FAILED, RUNNING

        // Again: nothing written; after one more epoch, only that run.
        Map<Path, FileTime> before = times(dir);
        assertThat(cli().run("export", "-e", name, "-o", "mlflow", dir.toString()).err()).contains(": 0 written, 3 unchanged");
        assertThat(times(dir)).isEqualTo(before);
        log(running, 2, "train.loss=2.0", "val.acc=0.25");
        assertThat(running.run("end", "--status", "completed").code()).isZero();
        assertThat(cli().run("export", "-e", name, "-o", "mlflow", dir.toString()).err()).contains(": 1 written, 2 unchanged");
        Map<Path, FileTime> after = times(dir);
        String changedId = MlflowExport.runId(running.env("TRACKER_RUN"));
        before.forEach((file, time) -> {
            if (!file.toString().contains(changedId)) {
                assertThat(after).as(file.toString()).containsEntry(file, time);
            }
        });
        Map<String, Object> meta = yaml.load(Files.readString(expDir.resolve(changedId).resolve("meta.yaml")));
        assertThat(meta).containsEntry("status", 3);
        assertThat(((Number) meta.get("end_time")).longValue()).isGreaterThan(1_700_000_000_000L);
        assertThat(Files.readAllLines(expDir.resolve(changedId).resolve("metrics/val/acc"))).hasSize(2);
    }

    @Test
    void directory_formats_need_a_directory_and_take_no_row_options() throws IOException {
        sweep();
        assertThat(cli().run("export", "-e", name, "-o", "tensorboard").err()).contains("-o tensorboard writes a directory: give it");
        assertThat(cli().run("export", "-e", name, "-o", "csv", tmp.resolve("x").toString()).err())
                .contains("DIR is for -o tensorboard and -o mlflow");
        assertThat(cli().run("export", "-e", name, "-o", "mlflow", tmp.resolve("x").toString(), "--epochs").code()).isEqualTo(2);
    }

    private static List<Path> eventFiles(Path runDir) throws IOException {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
    }

    private static Map<Path, FileTime> times(Path dir) throws IOException {
        Map<Path, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(p, Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    private static DynamicMessage plugin(DynamicMessage event, String tag) throws IOException {
        DynamicMessage summary = (DynamicMessage) TensorBoardEventReader.get(event, "summary");
        for (Object v : (List<?>) TensorBoardEventReader.get(summary, "value")) {
            DynamicMessage value = (DynamicMessage) v;
            if (tag.equals(TensorBoardEventReader.get(value, "tag"))) {
                DynamicMessage data = (DynamicMessage) TensorBoardEventReader.get(
                        (DynamicMessage) TensorBoardEventReader.get(value, "metadata"), "plugin_data");
                assertThat(TensorBoardEventReader.get(data, "plugin_name")).isEqualTo("hparams");
                return DynamicMessage.parseFrom(TensorBoardEventReader.HPARAMS_PLUGIN_DATA, (ByteString) TensorBoardEventReader.get(data, "content"));
            }
        }
        throw new AssertionError("no " + tag + " in " + event);
    }
}
