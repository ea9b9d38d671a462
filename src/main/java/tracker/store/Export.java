package tracker.store;

import java.util.TreeSet;
import java.util.function.Consumer;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * Streams an experiment's runs or metric rows straight from cursors, for {@code tracker export}:
 * memory stays constant however many runs there are.
 */
public final class Export {
    private final MongoCollection<Document> runs;
    private final MongoCollection<Document> metrics;

    public Export(Database db) {
        this.runs = db.mongo().getCollection("runs");
        this.metrics = db.mongo().getCollection("metrics");
    }

    /** Every "phase.metric" any run of the experiment has logged (one pass over the summaries only). */
    public TreeSet<String> metricNames(ExperimentRecord e) {
        TreeSet<String> names = new TreeSet<>();
        for (Document r : runs.find(Filters.eq("experiment", e.id())).projection(Projections.include("summary.metrics"))) {
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

    public void epochs(ExperimentRecord e, Consumer<Document> each) {
        for (Document m : metrics.find(Filters.eq("experiment", e.id())).batchSize(1000)) {
            each.accept(m);
        }
    }
}
