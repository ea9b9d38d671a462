package tracker.metrics;

import java.util.Map;

/** The values one line (or one {@code log --epoch} call) reports: epoch -> phase -> metric -> value. */
public record EpochValues(long epoch, Map<String, Map<String, Double>> phases) {
    public int count() {
        return phases.values().stream().mapToInt(Map::size).sum();
    }
}
