package tracker.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import tracker.metrics.EpochValues;
import tracker.metrics.MetricLines;

/**
 * A line of a trainer's stdout that speaks to tracker: metric values (the {@code log --stdin}
 * forms), and in the JSON form also {@code "checkpoint": "URI"}, {@code "artifacts": {"NAME": "URI"}}
 * and {@code "note": "TEXT"}, alone or beside the epoch's values.
 *
 * @param values null when the line carries only a checkpoint, artifacts or a note
 */
public record TrainerLine(EpochValues values, String checkpoint, Map<String, String> artifacts, String note) {

    /** Whether tracker should read the line rather than pass it through. */
    public static boolean isFor(String line) {
        return MetricLines.looksLikeMetrics(line);
    }

    /** Throws MetricLines.BadLine saying what is wrong, and nothing else. */
    public static TrainerLine parse(String line) {
        return MetricLines.guarded(line, TrainerLine::parseUnguarded);
    }

    private static TrainerLine parseUnguarded(String line) {
        String t = line.strip();
        if (!t.startsWith("{")) {
            return new TrainerLine(MetricLines.parse(t), null, Map.of(), null);
        }
        Map<String, Object> m = new LinkedHashMap<>(MetricLines.json(t));
        String checkpoint = text(m.remove("checkpoint"), "checkpoint");
        String note = text(m.remove("note"), "note");
        Map<String, String> artifacts = new LinkedHashMap<>();
        Object a = m.remove("artifacts");
        if (a != null) {
            if (!(a instanceof Map<?, ?> am)) {
                throw new MetricLines.BadLine("\"artifacts\" must be an object of NAME: URI");
            }
            am.forEach((k, v) -> {
                MetricLines.checkName(String.valueOf(k), "artifact");
                artifacts.put(String.valueOf(k), text(v, "artifacts." + k));
            });
        }
        boolean extras = checkpoint != null || note != null || !artifacts.isEmpty();
        EpochValues values = m.isEmpty() && extras ? null : MetricLines.of(m);
        return new TrainerLine(values, checkpoint, artifacts, note);
    }

    private static String text(Object v, String key) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new MetricLines.BadLine("\"" + key + "\" must be a non-empty string");
        }
        return s;
    }
}
