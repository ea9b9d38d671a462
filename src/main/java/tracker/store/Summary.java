package tracker.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import tracker.protocol.MetricValues;

/**
 * A run's small summary of its stored epochs, so reports never read the metric documents: per
 * metric the last value (by epoch) and the min and max (NaN is kept as last but never as min or
 * max); for the objective its best value (the earliest epoch that reached it) and its last.
 *
 * <pre>
 * summary: {version, lastEpoch, basis?: "steps", metrics: {val: {acc: {last, lastEpoch, min, minEpoch, max, maxEpoch}}},
 *           objective: {best, bestEpoch, last, lastEpoch}}
 * </pre>
 *
 * It always equals what {@link #of} computes from the stored epochs. Epochs that come after
 * everything a metric has seen are folded in ({@link #add}: only the changed paths are written);
 * an epoch that may replace a stored value - logged again after a resume from an older checkpoint,
 * or out of order - makes the caller rebuild it from the stored epochs, since a replaced extreme
 * cannot be undone from the summary alone.
 *
 * <p>Steps: a run that has logged no epoch is summarized from its steps ({@link Steps}) - the step
 * in place of the epoch (so {@code lastEpoch}, {@code bestEpoch} … count steps), marked
 * {@code basis: "steps"}. Its first epoch makes the summary be rebuilt from the epochs alone: the
 * objective ranks a run by its per-epoch values when it has any, by its steps when that is all it
 * has. The functions here fold whatever sequence they are given; {@link Metrics} chooses which.
 */
final class Summary {
    private Summary() {
    }

    /** The objective: which phase and metric, and which way is better. */
    record Objective(String phase, String metric, boolean maximize) {
        static Objective of(Map<String, Object> stored) {
            return new Objective(String.valueOf(stored.get("phase")), String.valueOf(stored.get("metric")),
                    "maximize".equals(stored.get("goal")));
        }
    }

    /**
     * The summary paths (under {@code summary.}) that change when {@code batch} is added to
     * {@code old}, with their new values; null when the batch has an epoch that is not after a
     * metric's last one (it may replace a value): then rebuild with {@link #of}.
     */
    static Map<String, Object> add(Document old, List<MetricValues> batch, Objective objective) {
        Document s = old == null ? new Document() : old;
        Document metrics = s.get("metrics", Document.class) == null ? new Document() : s.get("metrics", Document.class);
        Document best = s.get("objective", Document.class);
        long lastEpoch = s.get("lastEpoch") == null ? -1 : s.get("lastEpoch", Number.class).longValue();
        Map<String, Object> changed = new LinkedHashMap<>();
        for (MetricValues ev : batch) {
            for (Map.Entry<String, Map<String, Double>> phase : ev.phases().entrySet()) {
                Document p = metrics.get(phase.getKey(), Document.class);
                for (Map.Entry<String, Double> mv : phase.getValue().entrySet()) {
                    String path = "metrics." + phase.getKey() + "." + mv.getKey();
                    Document m = changed.containsKey(path) ? (Document) changed.get(path)
                            : p == null ? null : p.get(mv.getKey(), Document.class);
                    if (m != null && ev.position() <= m.get("lastEpoch", Number.class).longValue()) {
                        return null;
                    }
                    Document folded = fold(m, ev.position(), mv.getValue());
                    changed.put(path, folded);
                    if (phase.getKey().equals(objective.phase()) && mv.getKey().equals(objective.metric())) {
                        best = foldObjective(changed.containsKey("objective") ? (Document) changed.get("objective") : best,
                                ev.position(), mv.getValue(), objective.maximize());
                        changed.put("objective", best);
                    }
                }
            }
            if (ev.position() > lastEpoch && ev.count() > 0) {
                lastEpoch = ev.position();
                changed.put("lastEpoch", lastEpoch);
            }
        }
        return changed;
    }

    /**
     * The whole summary of a run's stored epochs, in epoch order (as {@link Epochs} reads them),
     * as the paths to set: {@code metrics}, {@code objective} (null when never logged) and {@code lastEpoch}.
     */
    static Map<String, Object> of(Iterable<Epochs.Epoch> epochs, Objective objective) {
        Document metrics = new Document();
        Document best = null;
        long lastEpoch = -1;
        for (Epochs.Epoch e : epochs) {
            for (Map.Entry<String, Map<String, Double>> phase : e.values().entrySet()) {
                Document p = metrics.get(phase.getKey(), Document.class);
                if (p == null) {
                    p = new Document();
                    metrics.put(phase.getKey(), p);
                }
                for (Map.Entry<String, Double> mv : phase.getValue().entrySet()) {
                    double v = mv.getValue() == null ? Double.NaN : mv.getValue();
                    p.put(mv.getKey(), fold(p.get(mv.getKey(), Document.class), e.epoch(), v));
                    if (phase.getKey().equals(objective.phase()) && mv.getKey().equals(objective.metric())) {
                        best = foldObjective(best, e.epoch(), v, objective.maximize());
                    }
                    lastEpoch = Math.max(lastEpoch, e.epoch());
                }
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("metrics", metrics);
        all.put("objective", best);
        all.put("lastEpoch", lastEpoch < 0 ? null : lastEpoch);
        return all;
    }

    /** One metric's summary with the value of a later epoch (or of an epoch in order, when rebuilding). */
    private static Document fold(Document old, long epoch, double v) {
        Document m = old == null ? new Document() : new Document(old);
        if (m.get("lastEpoch") == null || epoch >= m.get("lastEpoch", Number.class).longValue()) {
            m.put("last", v);
            m.put("lastEpoch", epoch);
        }
        if (!Double.isNaN(v)) {
            if (m.get("min") == null || v < m.getDouble("min")) {
                m.put("min", v);
                m.put("minEpoch", epoch);
            }
            if (m.get("max") == null || v > m.getDouble("max")) {
                m.put("max", v);
                m.put("maxEpoch", epoch);
            }
        }
        return m;
    }

    private static Document foldObjective(Document old, long epoch, double v, boolean maximize) {
        Document best = old == null ? new Document() : new Document(old);
        if (best.get("lastEpoch") == null || epoch >= best.get("lastEpoch", Number.class).longValue()) {
            best.put("last", v);
            best.put("lastEpoch", epoch);
        }
        boolean better = !Double.isNaN(v) && (best.get("best") == null
                || (maximize ? v > best.getDouble("best") : v < best.getDouble("best")));
        if (better) {
            best.put("best", v);
            best.put("bestEpoch", epoch);
        }
        return best;
    }
}
