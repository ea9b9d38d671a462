package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.LongConsumer;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Updates;
import org.bson.conversions.Bson;

import tracker.plan.PlannedRun;
import tracker.plan.QueueLayout;

/**
 * The {@code runs} collection: one document per planned run. Its id is its place in its cell's
 * queue ({@code experiment/model/dataset/position}, see {@link QueueLayout}): a claim finds the
 * run of a queue position by {@code _id} alone, and since positions are a function of the
 * definitions, planning twice - two racing creates, a create resumed after a crash, an extension -
 * never makes a second copy. Trial and replicate are fields of the run.
 */
public final class Runs {
    static final int BATCH = 10000;
    /** Earlier attempts, requeues and notes kept on a run: the latest ones, so the run document stays small. */
    static final int HISTORY = 100;

    private final Database db;

    public Runs(Database db) {
        this.db = db;
    }

    private MongoCollection<Document> coll() {
        return db.collections().runs();
    }

    /** Appends to a run's {@code history}, keeping the latest {@value #HISTORY} entries. */
    static Bson pushHistory(Document entry) {
        return Updates.pushEach("history", List.of(entry), new PushOptions().slice(-HISTORY));
    }

    /** A cell's id: experiment, model and dataset. */
    public static String cellId(String experimentId, String cell) {
        return experimentId + "/" + cell;
    }

    /** The id of the run at position {@code pos} of a cell's queue. */
    public static String id(String cellId, int pos) {
        return cellId + "/" + pos;
    }

    static Document document(String experimentId, QueueLayout.Queued queued, Date now) {
        PlannedRun run = queued.run();
        String cell = cellId(experimentId, queued.cell());
        return new Document("_id", id(cell, queued.pos()))
                .append("experiment", experimentId)
                .append("cell", cell)
                .append("pos", queued.pos())
                .append("model", run.model())
                .append("dataset", run.dataset())
                .append("trial", run.trial())
                .append("replicate", run.replicate())
                .append("seed", run.seed())
                .append("params", run.params() == null ? null : new Document(run.params()))
                .append("priority", run.priority())
                .append("status", "pending")
                .append("attempt", 0)
                .append("createdAt", now);
    }

    /**
     * Inserts the runs that are not there yet, in batches; {@code inserted} hears how many each
     * batch added (duplicates - runs planned before - are skipped, not counted).
     */
    public long insertMissing(String experimentId, List<QueueLayout.Queued> runs, LongConsumer inserted) {
        Date now = new Date();
        long total = 0;
        InsertManyOptions unordered = new InsertManyOptions().ordered(false);
        List<Document> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < runs.size(); i++) {
            batch.add(document(experimentId, runs.get(i), now));
            if (batch.size() == BATCH || i == runs.size() - 1) {
                long n;
                try {
                    n = coll().insertMany(batch, unordered).getInsertedIds().size();
                } catch (MongoBulkWriteException e) {
                    for (BulkWriteError err : e.getWriteErrors()) {
                        if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                            throw e;
                        }
                    }
                    n = batch.size() - e.getWriteErrors().size();
                }
                total += n;
                inserted.accept(n);
                batch.clear();
            }
        }
        return total;
    }

    /** The history entry of a run's current attempt, ended {@code how} at {@code at}: who had it and when. */
    static Document attemptEnded(Document run, String how, Date at) {
        return new Document("attempt", run.getInteger("attempt")).append("worker", run.getString("worker"))
                .append("claimedAt", run.getDate("claimedAt")).append("endedAt", at).append("how", how);
    }

    /**
     * The parameters of the runs with these ids (looked up by {@code _id}, which every server
     * serves from its index); runs that do not exist are left out.
     */
    public java.util.Map<String, java.util.Map<String, Object>> params(java.util.Collection<String> ids) {
        java.util.Map<String, java.util.Map<String, Object>> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Document d : coll().find(Filters.in("_id", ids)).projection(new Document("params", 1))) {
            Document p = d.get("params", Document.class);
            out.put(d.getString("_id"), p == null ? java.util.Map.of() : new java.util.LinkedHashMap<>(p));
        }
        return out;
    }

    /** A run by id, or null. */
    public Document find(String id) {
        return coll().find(Filters.eq("_id", id)).first();
    }
}
