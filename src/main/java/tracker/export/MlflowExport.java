package tracker.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import tracker.RunStatus;
import tracker.store.Epochs;
import tracker.store.ExperimentRecord;
import tracker.store.Export;
import tracker.store.RunRecord;
import tracker.store.Steps;
import tracker.util.FloatText;
import tracker.worker.ClaimValues;

/**
 * {@code tracker export -o mlflow DIR}: an MLflow file store ({@code mlflow ui --backend-store-uri DIR})
 * with the experiment and its runs, laid out as MLflow's FileStore lays them out:
 * <pre>
 * DIR/0/meta.yaml                      the Default experiment MLflow expects
 * DIR/EXP/meta.yaml                    name (NAME@VERSION), times, artifact location
 * DIR/EXP/tags/mlflow.note.content     the description
 * DIR/EXP/RUN/meta.yaml                run id, name (MODEL/DATASET/N), status, start and end times
 * DIR/EXP/RUN/params/NAME              a parameter value, as the command got it
 * DIR/EXP/RUN/metrics/PHASE/METRIC     "timestamp_ms value epoch" lines; steps/PHASE/METRIC per logged step
 * DIR/EXP/RUN/tags/...                 mlflow.runName, mlflow.source.git.commit, tracker.* (run, model, dataset, ...)
 * </pre>
 * Ids are derived from tracker's (the experiment's a number, a run's 32 hex digits), so exporting
 * again finds its own runs. Incremental: each run directory keeps a digest of what was written
 * ({@code .tracker-digest}, which MLflow does not read); a run whose files would be the same is not
 * touched, and a changed one has its files replaced (each whole, at once) and stale ones removed.
 */
public final class MlflowExport {
    static final String DIGEST = ".tracker-digest";

    /** MLflow's RunStatus numbers as its meta.yaml stores them. */
    static final int RUNNING = 1;
    static final int SCHEDULED = 2;
    static final int FINISHED = 3;
    static final int FAILED = 4;
    static final int KILLED = 5;

    public record Outcome(long written, long unchanged, long skipped) {
    }

    private final Path dir;
    private final Path experimentDir;
    private final String experimentId;
    private long written;
    private long unchanged;
    private long skipped;

    /** @param description the experiment's, shown as its note in MLflow */
    public MlflowExport(Path dir, ExperimentRecord e, String description) {
        this.dir = dir.toAbsolutePath().normalize();
        this.experimentId = experimentId(e.id());
        this.experimentDir = this.dir.resolve(experimentId);
        writeExperiments(e, description);
    }

    public Outcome outcome() {
        return new Outcome(written, unchanged, skipped);
    }

    /** A number, as MLflow's own experiment ids are, from tracker's experiment id. */
    static String experimentId(String trackerId) {
        byte[] d = RunFiles.sha256().digest(trackerId.getBytes(StandardCharsets.UTF_8));
        long n = 0;
        for (int i = 0; i < 8; i++) {
            n = (n << 8) | (d[i] & 0xff);
        }
        return Long.toString(n & Long.MAX_VALUE);
    }

    /** 32 hex digits, as MLflow's run ids are, from tracker's run id. */
    static String runId(String trackerId) {
        return RunFiles.hex(RunFiles.sha256().digest(trackerId.getBytes(StandardCharsets.UTF_8)), 16);
    }

    private void writeExperiments(ExperimentRecord e, String description) {
        if (!Files.exists(dir.resolve("0").resolve("meta.yaml"))) {
            writeIfChanged(dir.resolve("0").resolve("meta.yaml"), yaml(experimentMeta("0", "Default", dir.resolve("0"), e.createdAt())));
        }
        try {
            Files.createDirectories(dir.resolve(".trash"));
        } catch (IOException ex) {
            throw RunFiles.cannotWrite(dir.resolve(".trash"), ex);
        }
        writeIfChanged(experimentDir.resolve("meta.yaml"), yaml(experimentMeta(experimentId, e.id(), experimentDir, e.createdAt())));
        if (description != null && !description.isBlank()) {
            writeIfChanged(experimentDir.resolve("tags").resolve("mlflow.note.content"), description.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Map<String, Object> experimentMeta(String id, String name, Path location, Instant created) {
        long ms = created == null ? 0 : created.toEpochMilli();
        Map<String, Object> m = new TreeMap<>();
        m.put("artifact_location", fileUri(location));
        m.put("creation_time", ms);
        m.put("experiment_id", id);
        m.put("last_update_time", ms);
        m.put("lifecycle_stage", "active");
        m.put("name", name);
        return m;
    }

    /** Writes (or keeps) one run's directory. Runs that never started are left out. */
    public void add(Export.History h) {
        RunRecord r = h.run();
        if (h.epochs().isEmpty() && h.steps().isEmpty() && r.claimedAt() == null) {
            skipped++;
            return;
        }
        String runId = runId(r.id());
        Path runDir = experimentDir.resolve(runId);
        Map<String, byte[]> files = files(r, runId, runDir, h);
        var sha = RunFiles.sha256();
        files.forEach((path, bytes) -> {
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
        });
        byte[] digest = RunFiles.hex(sha.digest(), 32).getBytes(StandardCharsets.UTF_8);
        Path digestFile = runDir.resolve(DIGEST);
        try {
            if (Files.exists(digestFile) && java.util.Arrays.equals(Files.readAllBytes(digestFile), digest)) {
                unchanged++;
                return;
            }
            // The digest goes first, so an export cut half-way through the files is not taken as done.
            Files.deleteIfExists(digestFile);
            files.forEach((path, bytes) -> writeIfChanged(runDir.resolve(path), bytes));
            for (String sub : List.of("params", "metrics", "tags")) {
                removeOthers(runDir, runDir.resolve(sub), files);
            }
            Files.createDirectories(runDir.resolve("artifacts"));
            RunFiles.replace(digestFile, digest);
        } catch (IOException e) {
            throw RunFiles.cannotWrite(runDir, e);
        }
        written++;
    }

    /** Every file of a run, by its path in the run's directory, sorted. */
    private Map<String, byte[]> files(RunRecord r, String runId, Path runDir, Export.History h) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("meta.yaml", yaml(runMeta(r, runId, runDir)));
        r.params().forEach((k, v) -> {
            if (v != null) {
                files.put("params/" + k, ClaimValues.text(v).getBytes(StandardCharsets.UTF_8));
            }
        });
        Map<String, StringBuilder> metrics = new TreeMap<>();
        for (Epochs.Epoch e : h.epochs()) {
            lines(metrics, "", e.values(), e.at(), e.epoch());
        }
        for (Steps.Step s : h.steps()) {
            lines(metrics, "steps/", s.values(), s.at(), s.step());
        }
        metrics.forEach((k, v) -> files.put("metrics/" + k, v.toString().getBytes(StandardCharsets.UTF_8)));
        Map<String, String> tags = new TreeMap<>();
        tags.put("mlflow.runName", runName(r));
        tags.put("mlflow.source.type", "LOCAL");
        if (r.gitCommit() != null) {
            tags.put("mlflow.source.git.commit", r.gitCommit());
        }
        if (r.worker() != null) {
            tags.put("mlflow.user", r.worker());
        }
        tags.put("tracker.run", r.id());
        tags.put("tracker.experiment", r.experiment());
        tags.put("tracker.model", r.model());
        tags.put("tracker.dataset", r.dataset());
        tags.put("tracker.trial", Integer.toString(r.trial()));
        tags.put("tracker.replicate", Integer.toString(r.replicate()));
        if (r.seed() != null) {
            tags.put("tracker.seed", Long.toString(r.seed()));
        }
        tags.put("tracker.status", r.status());
        if (r.host() != null) {
            tags.put("tracker.host", r.host());
        }
        tags.forEach((k, v) -> files.put("tags/" + k, v.getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    private static void lines(Map<String, StringBuilder> metrics, String prefix, Map<String, Map<String, Double>> values, Instant at,
                              long step) {
        long ms = at == null ? 0 : at.toEpochMilli();
        values.forEach((phase, byMetric) -> byMetric.forEach((metric, v) -> {
            if (v != null) {
                metrics.computeIfAbsent(prefix + phase + "/" + metric, k -> new StringBuilder())
                        .append(ms).append(' ').append(FloatText.of(v)).append(' ').append(step).append('\n');
            }
        }));
    }

    static String runName(RunRecord r) {
        return r.model() + "/" + r.dataset() + "/" + TensorBoardExport.position(r);
    }

    private Map<String, Object> runMeta(RunRecord r, String runId, Path runDir) {
        Instant start = r.startedAt() != null ? r.startedAt() : r.claimedAt();
        Map<String, Object> m = new TreeMap<>();
        m.put("artifact_uri", fileUri(runDir.resolve("artifacts")));
        m.put("end_time", r.endedAt() == null ? null : r.endedAt().toEpochMilli());
        m.put("entry_point_name", "");
        m.put("experiment_id", experimentId);
        m.put("lifecycle_stage", "active");
        m.put("run_id", runId);
        m.put("run_name", runName(r));
        m.put("run_uuid", runId);
        m.put("source_name", "");
        m.put("source_type", 4); // LOCAL
        m.put("source_version", r.gitCommit() == null ? "" : r.gitCommit());
        m.put("start_time", start == null ? null : start.toEpochMilli());
        m.put("status", status(r.status()));
        m.put("tags", List.of());
        m.put("user_id", r.worker() == null ? "" : r.worker());
        return m;
    }

    /** file:///path, as MLflow writes it; the same whether the directory exists yet or not (Path.toUri adds a '/' when it does). */
    static String fileUri(Path p) {
        String raw = p.toAbsolutePath().normalize().toUri().getRawPath();
        return "file://" + (raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
    }

    /** tracker's status as MLflow's: running, scheduled (pending), finished (completed), failed, killed (cancelled, pruned). */
    static int status(String status) {
        if (RunStatus.COMPLETED.equals(status)) {
            return FINISHED;
        }
        if (RunStatus.isFailure(status)) {
            return FAILED;
        }
        if (RunStatus.RUNNING.equals(status)) {
            return RUNNING;
        }
        return RunStatus.PENDING.equals(status) ? SCHEDULED : KILLED;
    }

    /** Flat YAML of scalars (and the empty list), strings single-quoted as PyYAML reads them back. */
    static byte[] yaml(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> {
            sb.append(k).append(": ");
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof List<?> l && l.isEmpty()) {
                sb.append("[]");
            } else {
                sb.append('\'').append(String.valueOf(v).replace("'", "''")).append('\'');
            }
            sb.append('\n');
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeIfChanged(Path file, byte[] bytes) {
        try {
            if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
                return;
            }
        } catch (IOException e) {
            throw RunFiles.cannotWrite(file, e);
        }
        RunFiles.replace(file, bytes);
    }

    /** Files under {@code sub} that the run no longer has (a metric that was logged before a requeue). */
    private static void removeOthers(Path runDir, Path sub, Map<String, byte[]> keep) throws IOException {
        if (!Files.isDirectory(sub)) {
            return;
        }
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(sub)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String rel = runDir.relativize(p).toString().replace('\\', '/');
                if (!keep.containsKey(rel)) {
                    stale.add(p);
                }
            });
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
    }
}
