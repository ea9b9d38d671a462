package tracker.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.json.JsonWriter;

/**
 * What one line of a trainer's output tells tracker (see {@link TrainerLines} and
 * docs/trainer-protocol.md): metric values of an epoch or a step, the fraction of the run done,
 * the latest checkpoint, artifacts, a note, tags and what the model was initialized from - any of
 * them, at least one.
 *
 * @param values null when the line carries no metric values
 * @param progress null, or the fraction of the run done, 0 to 1
 * @param initFrom null, or the run (or URI) whose weights the model started from
 * @param text the line as the trainer wrote it, or null for one made of options ({@code log --note})
 */
public record TrainerLine(MetricValues values, Double progress, String checkpoint, Map<String, String> artifacts, String note,
                          List<String> tags, String initFrom, String text) {
    public TrainerLine {
        tags = List.copyOf(tags);
    }

    /** A line made of values and options, not read from a trainer. */
    public TrainerLine(MetricValues values, Double progress, String checkpoint, Map<String, String> artifacts, String note,
                       List<String> tags) {
        this(values, progress, checkpoint, artifacts, note, tags, null, null);
    }

    TrainerLine withText(String line) {
        return new TrainerLine(values, progress, checkpoint, artifacts, note, tags, initFrom, line);
    }

    /** Whether the line carries anything besides metric values. */
    public boolean hasExtras() {
        return progress != null || checkpoint != null || note != null || !artifacts.isEmpty() || !tags.isEmpty() || initFrom != null;
    }

    /**
     * The line as text that {@link TrainerLines#parse} reads back the same (what {@code tracker
     * serve} is sent): as the trainer wrote it, else as a JSON line (non-finite values as "nan",
     * "inf" and "-inf", which the protocol reads as those).
     */
    public String asText() {
        if (text != null) {
            return text;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (values != null) {
            if (values.epoch() != null) {
                m.put("epoch", values.epoch());
            }
            if (values.step() != null) {
                m.put("step", values.step());
            }
            values.phases().forEach((phase, metrics) -> {
                Map<String, Object> shown = new LinkedHashMap<>();
                metrics.forEach((name, v) -> shown.put(name, v.isNaN() ? "nan" : v.isInfinite() ? (v > 0 ? "inf" : "-inf") : v));
                m.put(phase, shown);
            });
        }
        if (progress != null) {
            m.put("progress", progress);
        }
        if (checkpoint != null) {
            m.put("checkpoint", checkpoint);
        }
        if (!artifacts.isEmpty()) {
            m.put("artifacts", artifacts);
        }
        if (note != null) {
            m.put("note", note);
        }
        if (!tags.isEmpty()) {
            m.put("tags", tags);
        }
        if (initFrom != null) {
            m.put("init_from", initFrom);
        }
        return JsonWriter.write(m);
    }
}
