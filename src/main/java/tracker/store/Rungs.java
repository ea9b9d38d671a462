package tracker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import tracker.plan.EarlyStopper;
import tracker.protocol.MetricValues;
import tracker.spec.Definition;

/**
 * Early stopping's record: the objective of each run at each epoch it is judged at, in the
 * {@code rungs} collection, in pages of {@value Results#PAGE} queue positions per cell and epoch:
 *
 * <pre>
 * {_id: "exp@1/mlp/iris#9#0", cell, epoch: 9, v: {"3": 0.91, "17": 0.88}}
 * </pre>
 *
 * A run's value is one {@code $set} on its page (upserted), so recording is a single-document
 * write that a retry repeats harmlessly, and judging reads one document per thousand runs of the
 * cell. No page grows with the number of runs beyond its thousand positions. A run logged again at
 * the same epoch (resumed from an older checkpoint) replaces its value.
 */
final class Rungs {
    private final Database db;

    Rungs(Database db) {
        this.db = db;
    }

    /** The rule as the experiment document stores it (null: no early stopping). */
    static Document document(Definition.EarlyStopping rule) {
        if (rule == null) {
            return null;
        }
        return new Document("method", rule.rule().name()).append("minEpochs", rule.minEpochs()).append("eta", rule.eta())
                .append("minRuns", rule.minRuns());
    }

    /** The rule back from the experiment document, or null. */
    static Definition.EarlyStopping rule(Map<String, Object> stored) {
        if (stored == null) {
            return null;
        }
        return new Definition.EarlyStopping(Definition.Rule.valueOf(String.valueOf(stored.get("method"))),
                ((Number) stored.get("minEpochs")).intValue(), ((Number) stored.get("eta")).intValue(),
                ((Number) stored.get("minRuns")).intValue());
    }

    /**
     * Records the run's objective at every epoch of the batch the rule judges, and judges the last
     * of them: the run's latest state is what decides whether it goes on.
     *
     * @param run the run as read before the batch (its cell, position and experiment)
     * @return the verdict, or null when no epoch of the batch is judged
     */
    EarlyStopper.Verdict judge(Definition.EarlyStopping rule, Summary.Objective objective, Document run, List<MetricValues> byEpoch) {
        String cell = run.getString("cell");
        int pos = run.getInteger("pos");
        MetricValues judged = null;
        Double judgedValue = null;
        for (MetricValues epoch : byEpoch) {
            Double value = objectiveAt(epoch, objective);
            if (value == null || !rule.judges(epoch.epoch())) {
                continue;
            }
            // NaN cannot be stored as a comparable number everywhere alike: it is recorded as null, the worst.
            db.collections().rungs().updateOne(Filters.eq("_id", pageId(cell, epoch.epoch(), pos)),
                    Updates.combine(Updates.set("v." + pos, value.isNaN() ? null : value),
                            Updates.setOnInsert("cell", cell), Updates.setOnInsert("epoch", epoch.epoch())),
                    new UpdateOptions().upsert(true));
            if (judged == null || epoch.epoch() >= judged.epoch()) {
                judged = epoch;
                judgedValue = value;
            }
        }
        if (judged == null) {
            return null;
        }
        // The cell's size says how many pages to read; only a judged epoch needs it.
        Cells.Cell c = new Cells(db).get(cell);
        List<Double> others = others(cell, judged.epoch(), pos, c == null ? 0 : c.size());
        return EarlyStopper.judge(rule, objective.maximize(), judged.epoch(), judgedValue, others);
    }

    /** The values of the cell's other runs at this epoch. */
    private List<Double> others(String cell, long epoch, int pos, int cellSize) {
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < Results.pages(Math.max(cellSize, pos + 1)); p++) {
            ids.add(cell + "#" + epoch + "#" + p);
        }
        List<Double> out = new ArrayList<>();
        for (Document page : db.collections().rungs().find(Filters.in("_id", ids))) {
            Document v = page.get("v", Document.class);
            if (v == null) {
                continue;
            }
            v.forEach((p, value) -> {
                if (!p.equals(Integer.toString(pos))) {
                    out.add(value instanceof Number n ? n.doubleValue() : Double.NaN);
                }
            });
        }
        return out;
    }

    private static String pageId(String cell, long epoch, int pos) {
        return cell + "#" + epoch + "#" + pos / Results.PAGE;
    }

    private static Double objectiveAt(MetricValues epoch, Summary.Objective objective) {
        Map<String, Double> phase = epoch.phases().get(objective.phase());
        return phase == null ? null : phase.get(objective.metric());
    }
}
