package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * The operator's side: what is in flight ({@code status}), putting failed or cancelled runs back
 * in the queue ({@code requeue}) and cancelling runs ({@code cancel}). Every change is a
 * conditional single-document update on the run's status, so it never races a worker's claim or
 * end into an inconsistent state; counts follow the number of documents actually changed.
 */
public final class Admin {
    private final Experiments experiments;
    private final MongoCollection<Document> runs;
    private final MongoCollection<Document> cells;
    private final Database db;

    public Admin(Database db) {
        this.db = db;
        this.experiments = new Experiments(db);
        this.runs = db.mongo().getCollection("runs").withWriteConcern(WriteConcern.MAJORITY);
        this.cells = new Cells(db).collection();
    }

    /** Which runs an operation touches: by model, dataset or run id (empty sets mean all). */
    public record Selection(Set<String> models, Set<String> datasets, Set<String> runIds) {
        Bson filter(String experimentId) {
            List<Bson> f = new ArrayList<>(List.of(Filters.eq("experiment", experimentId)));
            if (!models.isEmpty()) {
                f.add(Filters.in("model", models));
            }
            if (!datasets.isEmpty()) {
                f.add(Filters.in("dataset", datasets));
            }
            if (!runIds.isEmpty()) {
                f.add(Filters.in("_id", runIds));
            }
            return Filters.and(f);
        }
    }

    /** A run in flight, as {@code status} shows it. */
    public record InFlight(String run, String worker, int attempt, Date claimedAt, Date heartbeatAt, Date leaseUntil) {
    }

    /** The runs in flight of an experiment, from its cells (no scan of the runs). */
    public List<InFlight> inFlight(ExperimentRecord exp) {
        List<InFlight> out = new ArrayList<>();
        for (Document c : new Cells(null, cells).of(exp)) {
            Document running = c.get("running", Document.class);
            if (running == null) {
                continue;
            }
            for (String pos : running.keySet()) {
                Document r = runs.find(Filters.eq("_id", Runs.id(c.getString("_id"), Integer.parseInt(pos)))).first();
                if (r != null && "running".equals(r.getString("status"))) {
                    out.add(new InFlight(r.getString("_id"), r.getString("worker"), r.getInteger("attempt", 0),
                            r.getDate("claimedAt"), r.getDate("heartbeatAt"), r.getDate("leaseUntil")));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(InFlight::run));
        return out;
    }

    /** Failed or cancelled runs back to pending, with a fresh budget of attempts, claimed before new ones. */
    public long requeue(ExperimentRecord exp, Set<String> statuses, Selection sel) {
        long n = 0;
        Bson filter = Filters.and(sel.filter(exp.id()), Filters.in("status", statuses));
        for (Document r : runs.find(filter).projection(new Document("status", 1).append("cell", 1).append("pos", 1))) {
            String status = r.getString("status");
            boolean changed = runs.updateOne(Filters.and(Filters.eq("_id", r.get("_id")), Filters.eq("status", status)),
                    Updates.combine(Updates.set("status", "pending"), Updates.set("attempt", 0), Updates.unset("endedAt"),
                            Updates.unset("noObjective"),
                            Updates.push("history", new Document("how", "requeued").append("from", status).append("at", new Date()))))
                    .getModifiedCount() == 1;
            if (changed) {
                new Results(db).forget(r.getString("cell"), r.getInteger("pos"));
                cells.updateOne(Filters.eq("_id", r.getString("cell")), Updates.push("resume", r.getInteger("pos")));
                experiments.finished(exp.id(), status, -1);
                n++;
            }
        }
        return n;
    }

    /**
     * Cancels pending runs; with {@code running}, runs in flight too (their workers' next write is
     * refused with exit 6, which tells them to stop).
     *
     * @return how many were cancelled, pending and running
     */
    public long[] cancel(ExperimentRecord exp, Selection sel, boolean running) {
        Date now = new Date();
        long pending = runs.updateMany(Filters.and(sel.filter(exp.id()), Filters.eq("status", "pending")),
                Updates.combine(Updates.set("status", "cancelled"), Updates.set("endedAt", now))).getModifiedCount();
        experiments.finished(exp.id(), "cancelled", pending);
        long inFlight = 0;
        if (running) {
            for (Document r : runs.find(Filters.and(sel.filter(exp.id()), Filters.eq("status", "running")))) {
                Document done = runs.findOneAndUpdate(Filters.and(Filters.eq("_id", r.get("_id")), Filters.eq("status", "running"),
                                Filters.eq("token", r.getString("token"))),
                        Updates.combine(Updates.set("status", "cancelled"), Updates.set("endedAt", now), Updates.unset("token"),
                                Updates.push("history", Runs.attemptEnded(r, "cancelled", now))),
                        new com.mongodb.client.model.FindOneAndUpdateOptions().returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
                if (done != null) {
                    new Results(db).record(done);
                    cells.updateOne(Filters.eq("_id", r.getString("cell")), Updates.unset("running." + r.getInteger("pos")));
                    experiments.finished(exp.id(), "cancelled", 1);
                    inFlight++;
                }
            }
        }
        return new long[] {pending, inFlight};
    }
}
