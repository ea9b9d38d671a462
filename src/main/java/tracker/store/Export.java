package tracker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * Streams an experiment's runs or metric rows, for {@code tracker export} and the runs view of
 * {@code report}: cell by cell in the order given, each cell in queue order, each run's epochs in
 * epoch order - the same order on every server, read by ranges of the {@code _id} index only (so
 * nothing else is scanned, however many runs other experiments have), in batches: memory stays
 * constant however many runs there are.
 */
public final class Export {
    private static final int BATCH = 1000;
    /** Runs whose epochs are read in one range (at tens of epochs each, a few thousand documents). */
    private static final int EPOCH_BATCH = 100;

    private final Database db;

    public Export(Database db) {
        this.db = db;
    }

    /** Every "phase.metric" any run of these cells has logged (from the runs' summaries only). */
    public TreeSet<String> metricNames(Map<String, Integer> cellSizes) {
        TreeSet<String> names = new TreeSet<>();
        runsOf(cellSizes, Projections.include("summary.metrics"), r -> {
            Document s = r.get("summary", Document.class);
            Document m = s == null ? null : s.get("metrics", Document.class);
            if (m != null) {
                m.forEach((phase, v) -> ((Document) v).keySet().forEach(metric -> names.add(phase + "." + metric)));
            }
        });
        return names;
    }

    /**
     * Streams the runs of these cells (id to size, in the order given), each cell's in queue order,
     * without their history, provenance and per-metric summaries (the objective's summary stays).
     */
    public void runsOf(Map<String, Integer> cellSizes, Consumer<Document> each) {
        runsOf(cellSizes, Projections.exclude("history", "provenance", "lastEnd", "token", "summary.metrics"), each);
    }

    /** The same, with the per-metric summaries (for the columns of an export). */
    public void runsWithMetricsOf(Map<String, Integer> cellSizes, Consumer<Document> each) {
        runsOf(cellSizes, Projections.exclude("history", "provenance", "lastEnd", "token"), each);
    }

    private void runsOf(Map<String, Integer> cellSizes, Bson projection, Consumer<Document> each) {
        List<String> ids = new ArrayList<>(BATCH);
        for (Map.Entry<String, Integer> cell : cellSizes.entrySet()) {
            for (int pos = 0; pos < cell.getValue(); pos++) {
                ids.add(Runs.id(cell.getKey(), pos));
                if (ids.size() == BATCH) {
                    batch(ids, projection, each);
                }
            }
        }
        batch(ids, projection, each);
    }

    private void batch(List<String> ids, Bson projection, Consumer<Document> each) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Document> found = new HashMap<>();
        for (Document r : db.collections().runs().find(Filters.in("_id", ids)).projection(projection).batchSize(BATCH)) {
            found.put(r.getString("_id"), r);
        }
        for (String id : ids) {
            Document r = found.get(id);
            if (r != null) {
                each.accept(r);
            }
        }
        ids.clear();
    }

    /** Every stored epoch of the runs of these cells, with its run's id, in the order described above. */
    public void epochsOf(Map<String, Integer> cellSizes, BiConsumer<String, Epochs.Epoch> each) {
        Epochs epochs = new Epochs(db);
        cellSizes.forEach((cell, size) -> {
            for (int from = 0; from < size; from += EPOCH_BATCH) {
                epochs.ofPositions(cell, from, Math.min(size, from + EPOCH_BATCH), each);
            }
        });
    }

    /** Every stored step of the runs of these cells, with its run's id, in the same order as {@link #epochsOf}. */
    public void stepsOf(Map<String, Integer> cellSizes, BiConsumer<String, Steps.Step> each) {
        Steps steps = new Steps(db);
        cellSizes.forEach((cell, size) -> {
            for (int from = 0; from < size; from += EPOCH_BATCH) {
                steps.ofPositions(cell, from, Math.min(size, from + EPOCH_BATCH), each);
            }
        });
    }
}
