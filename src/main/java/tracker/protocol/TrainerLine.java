package tracker.protocol;

import java.util.List;
import java.util.Map;

/**
 * What one line of a trainer's output tells tracker (see {@link TrainerLines} and
 * docs/trainer-protocol.md): metric values of an epoch or a step, the fraction of the run done,
 * the latest checkpoint, artifacts, a note and tags - any of them, at least one.
 *
 * @param values null when the line carries no metric values
 * @param progress null, or the fraction of the run done, 0 to 1
 */
public record TrainerLine(MetricValues values, Double progress, String checkpoint, Map<String, String> artifacts, String note,
                          List<String> tags) {
    public TrainerLine {
        tags = List.copyOf(tags);
    }

    /** Whether the line carries anything besides metric values. */
    public boolean hasExtras() {
        return progress != null || checkpoint != null || note != null || !artifacts.isEmpty() || !tags.isEmpty();
    }
}
