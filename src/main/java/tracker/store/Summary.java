package tracker.store;

import java.util.List;
import java.util.Map;

import org.bson.Document;

import tracker.metrics.EpochValues;

/**
 * A run's small summary, kept up to date by every log so reports never read the metric documents:
 * per metric the last value (by epoch) and the min and max (NaN is kept as last but never as min
 * or max); for the objective its best value and epoch. Re-logging an epoch replaces its value as
 * "last"; min and max only move outwards (an overwritten extreme stays: they are bounds).
 */
final class Summary {
    private Summary() {
    }

    static Document update(Document old, List<EpochValues> batch, Document objective) {
        Document s = old == null ? new Document() : old; // freshly read for this update: ours to change
        long version = s.get("version") == null ? 0 : s.get("version", Number.class).longValue();
        Document metrics = s.get("metrics", Document.class) == null ? new Document() : s.get("metrics", Document.class);
        String objPhase = objective.getString("phase");
        String objMetric = objective.getString("metric");
        boolean maximize = "maximize".equals(objective.getString("goal"));
        Document best = s.get("objective", Document.class);
        long lastEpoch = s.get("lastEpoch") == null ? -1 : s.get("lastEpoch", Number.class).longValue();
        for (EpochValues ev : batch) {
            lastEpoch = Math.max(lastEpoch, ev.epoch());
            for (Map.Entry<String, Map<String, Double>> phase : ev.phases().entrySet()) {
                Document p = metrics.get(phase.getKey(), Document.class);
                if (p == null) {
                    p = new Document();
                    metrics.put(phase.getKey(), p);
                }
                for (Map.Entry<String, Double> mv : phase.getValue().entrySet()) {
                    double v = mv.getValue();
                    Document m = p.get(mv.getKey(), Document.class);
                    if (m == null) {
                        m = new Document();
                        p.put(mv.getKey(), m);
                    }
                    if (m.get("lastEpoch") == null || ev.epoch() >= m.get("lastEpoch", Number.class).longValue()) {
                        m.put("last", v);
                        m.put("lastEpoch", ev.epoch());
                    }
                    if (!Double.isNaN(v)) {
                        if (m.get("min") == null || v < m.getDouble("min")) {
                            m.put("min", v);
                            m.put("minEpoch", ev.epoch());
                        }
                        if (m.get("max") == null || v > m.getDouble("max")) {
                            m.put("max", v);
                            m.put("maxEpoch", ev.epoch());
                        }
                    }
                    if (phase.getKey().equals(objPhase) && mv.getKey().equals(objMetric)) {
                        if (best == null) {
                            best = new Document();
                        }
                        if (best.get("lastEpoch") == null || ev.epoch() >= best.get("lastEpoch", Number.class).longValue()) {
                            best.put("last", v);
                            best.put("lastEpoch", ev.epoch());
                        }
                        boolean better = !Double.isNaN(v) && (best.get("best") == null
                                || (maximize ? v > best.getDouble("best") : v < best.getDouble("best")));
                        if (better) {
                            best.put("best", v);
                            best.put("bestEpoch", ev.epoch());
                        }
                    }
                }
            }
        }
        s.put("version", version + 1);
        s.put("lastEpoch", lastEpoch);
        s.put("metrics", metrics);
        if (best != null) {
            s.put("objective", best);
        }
        return s;
    }

}
