package tracker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import tracker.plan.QueueLayout;
import tracker.spec.Definition;

/**
 * The {@code cells} collection: one small document per (model, dataset) cell of an experiment,
 * holding the cell's run queue: {@code size} positions, the {@code next} one to hand out, a
 * {@code resume} list of positions to hand out first (preempted and requeued runs) and the
 * {@code running} positions with their lease deadlines. A claim reads an experiment's cells (a few
 * hundred documents at most) and advances one of them with a compare-and-set.
 */
public final class Cells {
    private final MongoCollection<Document> coll;

    public Cells(Database db) {
        this(db, db.mongo().getCollection("cells").withWriteConcern(WriteConcern.MAJORITY));
    }

    Cells(Database db, MongoCollection<Document> coll) {
        this.coll = coll;
    }

    /** Creates missing cells and grows existing ones to the layout's sizes. Idempotent. */
    public void ensure(String experimentId, Definition def, QueueLayout layout) {
        for (Map.Entry<String, Integer> e : layout.cellSizes().entrySet()) {
            String[] md = e.getKey().split("/", 2);
            coll.updateOne(Filters.eq("_id", Runs.cellId(experimentId, e.getKey())),
                    Updates.combine(
                            Updates.setOnInsert("experiment", experimentId),
                            Updates.setOnInsert("model", md[0]),
                            Updates.setOnInsert("dataset", md[1]),
                            Updates.setOnInsert("next", 0),
                            Updates.setOnInsert("resume", List.of()),
                            Updates.setOnInsert("running", new Document()),
                            Updates.set("priority", def.priorityOf(def.models().get(md[0]))),
                            Updates.max("size", e.getValue())),
                    new UpdateOptions().upsert(true));
        }
    }

    /**
     * The cells of an experiment, looked up by their ids (which the experiment lists): on the
     * embedded server a filter on any other field scans every cell of every experiment.
     */
    public List<Document> of(ExperimentRecord exp) {
        if (exp.cellIds().isEmpty()) {
            return coll.find(Filters.eq("experiment", exp.id())).into(new ArrayList<>());
        }
        return coll.find(Filters.in("_id", exp.cellIds())).into(new ArrayList<>());
    }

    MongoCollection<Document> collection() {
        return coll;
    }
}
