package tracker.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tracker.RunStatus;
import tracker.store.Epochs;
import tracker.store.Export;
import tracker.store.RunRecord;
import tracker.store.Steps;

/**
 * {@code tracker export -o tensorboard DIR}: one event file per run, in {@code DIR/MODEL/DATASET/N}
 * (TensorBoard names a run by its directory), so {@code tensorboard --logdir DIR} shows every curve
 * of the sweep and its hyperparameters.
 *
 * <p>Each file is a TFRecord stream of {@code Event} protocol buffers (TensorBoard's published
 * format): the file version; the run's parameters as the hparams plugin's session start (grouped
 * by model, dataset and trial, so replicates form one group), with its model and dataset; a
 * scalar per phase and metric at step = epoch (tag {@code PHASE/METRIC}), and per logged step
 * (tag {@code steps/PHASE/METRIC}); and, once the run has finished, the session's end with its
 * status. TensorBoard keeps scalars as 32-bit floats; the wall time of each point is when it was
 * logged.
 *
 * <p>Incremental: a file's name ends in a digest of its content, so exporting again writes only the
 * runs whose history changed (the new file first, then the old one goes), and a run that did not
 * change costs a look at its directory.
 */
public final class TensorBoardExport {
    static final String FILE_VERSION = "brain.Event:2";
    static final String WRITER_TAG = ".tracker.";
    private static final String HPARAMS = "hparams";

    /** What an export did. */
    public record Outcome(long written, long unchanged, long skipped) {
    }

    private final Path dir;
    private long written;
    private long unchanged;
    private long skipped;

    public TensorBoardExport(Path dir) {
        this.dir = dir;
    }

    public Outcome outcome() {
        return new Outcome(written, unchanged, skipped);
    }

    /** Writes (or keeps) the event file of one run. Runs that never started have nothing to show and are left out. */
    public void add(Export.History h) {
        RunRecord r = h.run();
        if (h.epochs().isEmpty() && h.steps().isEmpty() && r.claimedAt() == null) {
            skipped++;
            return;
        }
        byte[] events = events(h);
        String digest = RunFiles.hex(RunFiles.sha256().digest(events), 8);
        Path runDir = dir.resolve(r.model()).resolve(r.dataset()).resolve(position(r));
        long start = (long) Math.floor(startSeconds(h));
        String name = "events.out.tfevents." + String.format("%010d", Math.max(0, start)) + WRITER_TAG + digest;
        Path file = runDir.resolve(name);
        if (Files.exists(file)) {
            unchanged++;
            return;
        }
        RunFiles.replace(file, events);
        // The new file is in place: the run's older ones go (TensorBoard would show both).
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runDir, "events.out.tfevents.*" + WRITER_TAG + "*")) {
            for (Path old : files) {
                if (!old.equals(file)) {
                    Files.deleteIfExists(old);
                }
            }
        } catch (IOException e) {
            throw RunFiles.cannotWrite(runDir, e);
        }
        written++;
    }

    /** The run's place in its cell's queue: the last part of its id. */
    static String position(RunRecord r) {
        return r.id().substring(r.id().lastIndexOf('/') + 1);
    }

    private static double startSeconds(Export.History h) {
        Instant start = h.run().startedAt() != null ? h.run().startedAt() : h.run().claimedAt();
        if (start == null && !h.epochs().isEmpty()) {
            start = h.epochs().get(0).at();
        }
        return start == null ? 0 : seconds(start);
    }

    static double seconds(Instant t) {
        return t == null ? 0 : t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static byte[] events(Export.History h) {
        RunRecord r = h.run();
        double start = startSeconds(h);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TfRecordWriter out = new TfRecordWriter(bytes);
        try {
            out.write(new ProtoWriter().float64(1, start).string(3, FILE_VERSION).toByteArray());
            out.write(event(start, 0, hparams("_hparams_/session_start_info", sessionStart(r, start))));
            for (Epochs.Epoch e : h.epochs()) {
                byte[] summary = scalars("", e.values());
                if (summary != null) {
                    out.write(event(seconds(e.at()), e.epoch(), summary));
                }
            }
            for (Steps.Step s : h.steps()) {
                byte[] summary = scalars("steps/", s.values());
                if (summary != null) {
                    out.write(event(seconds(s.at()), s.step(), summary));
                }
            }
            if (RunStatus.isFinished(r.status())) {
                double end = r.endedAt() != null ? seconds(r.endedAt()) : start;
                ProtoWriter endInfo = new ProtoWriter().int64(1, status(r.status())).float64(2, end);
                out.write(event(end, r.lastEpoch() == null ? 0 : r.lastEpoch(),
                        hparams("_hparams_/session_end_info", new ProtoWriter().int64(1, 0).message(4, endInfo))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static byte[] event(double wallTime, long step, byte[] summary) {
        return new ProtoWriter().float64(1, wallTime).int64(2, step).bytes(5, summary).toByteArray();
    }

    /** A Summary of one value per phase and metric (null when there is none), tags in a stable order. */
    private static byte[] scalars(String prefix, Map<String, Map<String, Double>> values) {
        ProtoWriter summary = new ProtoWriter();
        boolean any = false;
        for (String phase : new java.util.TreeSet<>(values.keySet())) {
            Map<String, Double> metrics = values.get(phase);
            for (String metric : new java.util.TreeSet<>(metrics.keySet())) {
                Double v = metrics.get(metric);
                if (v == null) {
                    continue;
                }
                summary.message(1, new ProtoWriter().string(1, prefix + phase + "/" + metric).float32(2, v.floatValue()));
                any = true;
            }
        }
        return any ? summary.toByteArray() : null;
    }

    /** A Summary holding one hparams plugin value: its metadata carries the HParamsPluginData, it has no tensor. */
    private static byte[] hparams(String tag, ProtoWriter pluginData) {
        ProtoWriter metadata = new ProtoWriter().message(1, new ProtoWriter().string(1, HPARAMS).bytes(2, pluginData.toByteArray()));
        return new ProtoWriter().message(1, new ProtoWriter().string(1, tag).message(9, metadata)).toByteArray();
    }

    /** HParamsPluginData{version 0, session_start_info{hparams, group_name, start_time_secs}}. */
    private static ProtoWriter sessionStart(RunRecord r, double start) {
        ProtoWriter info = new ProtoWriter();
        List<Map.Entry<String, Object>> hparams = new ArrayList<>();
        // The run's own model and dataset first, so the hparams table can filter by them (unless a parameter has that name).
        if (!r.params().containsKey("model")) {
            hparams.add(Map.entry("model", r.model()));
        }
        if (!r.params().containsKey("dataset")) {
            hparams.add(Map.entry("dataset", r.dataset()));
        }
        new java.util.TreeMap<>(r.params()).forEach((k, v) -> {
            if (v != null) {
                hparams.add(Map.entry(k, v));
            }
        });
        for (Map.Entry<String, Object> e : hparams) {
            info.message(1, new ProtoWriter().string(1, e.getKey()).message(2, value(e.getValue())));
        }
        info.string(4, r.model() + "/" + r.dataset() + "/trial " + r.trial());
        info.float64(5, start);
        return new ProtoWriter().int64(1, 0).message(3, info);
    }

    /** A google.protobuf.Value: number_value (2), string_value (3) or bool_value (4). */
    private static ProtoWriter value(Object v) {
        if (v instanceof Number n) {
            return new ProtoWriter().float64(2, n.doubleValue());
        }
        if (v instanceof Boolean b) {
            return new ProtoWriter().bool(4, b);
        }
        return new ProtoWriter().string(3, String.valueOf(v));
    }

    /** The hparams plugin's Status: SUCCESS 1 for a completed run, FAILURE 2 for a failed one, else UNKNOWN 0. */
    static int status(String status) {
        if (RunStatus.COMPLETED.equals(status)) {
            return 1;
        }
        return RunStatus.isFailure(status) ? 2 : 0;
    }
}
