package tracker.store;

import java.util.TreeSet;
import java.util.function.Consumer;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * Streams an experiment's runs or metric rows straight from cursors, for {@code tracker export}:
 * memory stays constant however many runs there are.
 */
public final class Export {
    private static final int BATCH = 1000;
    private final MongoCollection<Document> runs;
    private final MongoCollection<Document> metrics;

    public Export(Database db) {
        this.runs = db.mongo().getCollection("runs");
        this.metrics = db.mongo().getCollection("metrics");
    }

    /** Every "phase.metric" any run of the experiment has logged (one pass over the summaries only). */
    public TreeSet<String> metricNames(ExperimentRecord e) {
        TreeSet<String> names = new TreeSet<>();
        for (Document r : runs.find(Filters.eq("experiment", e.id())).projection(Projections.include("summary.metrics")).batchSize(1000)) {
            Document s = r.get("summary", Document.class);
            Document m = s == null ? null : s.get("metrics", Document.class);
            if (m != null) {
                m.forEach((phase, v) -> ((Document) v).keySet().forEach(metric -> names.add(phase + "." + metric)));
            }
        }
        return names;
    }

    public void runs(ExperimentRecord e, Consumer<Document> each) {
        for (Document r : runs.find(Filters.eq("experiment", e.id())).batchSize(1000)) {
            each.accept(r);
        }
    }

    /**
     * Streams the runs of these cells (id to size, in the order given), each cell's in queue order.
     * They are looked up by {@code _id} in batches, which the unique index serves on every server:
     * nothing else is scanned, however many runs other experiments have. Without their history,
     * provenance and per-metric summaries (the objective's summary stays).
     */
    public void runsOf(java.util.Map<String, Integer> cellSizes, Consumer<Document> each) {
        Bson projection = Projections.exclude("history", "provenance", "lastEnd", "token", "summary.metrics");
        java.util.List<String> ids = new java.util.ArrayList<>(BATCH);
        for (java.util.Map.Entry<String, Integer> cell : cellSizes.entrySet()) {
            for (int pos = 0; pos < cell.getValue(); pos++) {
                ids.add(Runs.id(cell.getKey(), pos));
                if (ids.size() == BATCH) {
                    batch(ids, projection, each);
                }
            }
        }
        batch(ids, projection, each);
    }

    private void batch(java.util.List<String> ids, Bson projection, Consumer<Document> each) {
        if (ids.isEmpty()) {
            return;
        }
        java.util.Map<String, Document> found = new java.util.HashMap<>();
        for (Document r : runs.find(Filters.in("_id", ids)).projection(projection).batchSize(BATCH)) {
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

    public void epochs(ExperimentRecord e, Consumer<Document> each) {
        for (Document m : metrics.find(Filters.eq("experiment", e.id())).batchSize(1000)) {
            each.accept(m);
        }
    }
}
