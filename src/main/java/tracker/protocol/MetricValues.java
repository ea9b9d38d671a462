package tracker.protocol;

import java.util.Map;

/**
 * The metric values one line (or one {@code log --epoch/--step} call) reports, phase -> metric ->
 * value, and where they belong: an epoch, or a step (an integer within or instead of the epoch;
 * {@code epoch} is then the epoch the step belongs to, or null).
 *
 * @param epoch the epoch, or null for a step of a run that counts no epochs
 * @param step null for per-epoch values
 */
public record MetricValues(Long epoch, Long step, Map<String, Map<String, Double>> phases) {
    public MetricValues {
        if (epoch == null && step == null) {
            throw new IllegalArgumentException("metric values need an epoch or a step");
        }
    }

    public static MetricValues ofEpoch(long epoch, Map<String, Map<String, Double>> phases) {
        return new MetricValues(epoch, null, phases);
    }

    public boolean isStep() {
        return step != null;
    }

    /** The step for step values, else the epoch: where the values sit in their own sequence. */
    public long position() {
        return step != null ? step : epoch;
    }

    public int count() {
        return phases.values().stream().mapToInt(Map::size).sum();
    }
}
