package tracker.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

/**
 * The operator's side: what is in flight ({@code status}), putting failed or cancelled runs back
 * in the queue ({@code requeue}) and cancelling runs ({@code cancel}). Every change of a run is a
 * conditional single-document update on its status, so it never races a worker's claim or end
 * into an inconsistent state; how each keeps the queue right when cut short is in {@link Cells}.
 */
public final class Admin {
    /**
     * How long a requeue's entry waits before a claim looks at it: the requeue needs milliseconds
     * between putting it and moving the run to {@code resume}; a claim that looks earlier only
     * records the run's outcome again.
     */
    static final long REQUEUE_GRACE_MILLIS = 60_000;
    private static final int BATCH = 1000;

    private final Database db;
    private final Cells cells;
    private final Results results;

    public Admin(Database db) {
        this.db = db;
        this.cells = new Cells(db);
        this.results = new Results(db);
    }

    /** Which runs an operation touches: by model, dataset or run id (empty sets mean all). */
    public record Selection(Set<String> models, Set<String> datasets, Set<String> runIds) {
        boolean accepts(Cells.Cell cell) {
            return (models.isEmpty() || models.contains(cell.model())) && (datasets.isEmpty() || datasets.contains(cell.dataset()));
        }
    }

    /**
     * The selected runs with one of {@code statuses}, in batches, looked up by id cell by cell (the
     * unique index serves it on every server; nothing scans the runs of a million-run experiment).
     */
    private void selected(ExperimentRecord exp, Selection sel, Set<String> statuses, Bson projection,
                          java.util.function.Consumer<List<Document>> each) {
        for (Cells.Cell cell : cells.of(exp)) {
            if (!sel.accepts(cell)) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            for (int pos = 0; pos < cell.size(); pos++) {
                String id = Runs.id(cell.id(), pos);
                if (sel.runIds().isEmpty() || sel.runIds().contains(id)) {
                    ids.add(id);
                }
            }
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<Document> found = db.collections().runs().find(Filters.and(Filters.in("_id", ids.subList(from, Math.min(ids.size(),
                        from + BATCH))), Filters.in("status", statuses))).projection(projection).into(new ArrayList<>());
                if (!found.isEmpty()) {
                    each.accept(found);
                }
            }
        }
    }

    /** A run in flight, as {@code status} shows it. */
    public record InFlight(String run, String worker, int attempt, Date claimedAt, Date heartbeatAt, Date leaseUntil) {
    }

    /** The runs in flight of an experiment, from its cells' entries (no scan of the runs). */
    public List<InFlight> inFlight(ExperimentRecord exp) {
        List<String> ids = new ArrayList<>();
        for (Cells.Cell c : cells.of(exp)) {
            c.running().keySet().forEach(pos -> ids.add(Runs.id(c.id(), pos)));
        }
        List<InFlight> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            for (Document r : db.collections().runs().find(Filters.and(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + BATCH))),
                    Filters.eq("status", "running")))) {
                out.add(new InFlight(r.getString("_id"), r.getString("worker"), r.getInteger("attempt", 0),
                        r.getDate("claimedAt"), r.getDate("heartbeatAt"), r.getDate("leaseUntil")));
            }
        }
        out.sort(Comparator.comparing(InFlight::run));
        return out;
    }

    /** Failed, cancelled or pruned runs (the {@code statuses} given) back to pending, with a fresh budget of attempts, claimed before new ones. */
    public long requeue(ExperimentRecord exp, Set<String> statuses, Selection sel) {
        new Lifecycle(db).requireWritable(exp.id(), "requeue");
        long[] n = {0};
        selected(exp, sel, statuses, Projections.include("status", "cell", "pos"), batch -> {
            for (Document r : batch) {
                n[0] += requeue(exp, r.getString("cell"), r.getInteger("pos"), r.getString("status")) ? 1 : 0;
            }
        });
        return n[0];
    }

    private boolean requeue(ExperimentRecord exp, String cellId, int pos, String from) {
        String token = "requeue:" + Tokens.fresh();
        long now = db.clock().millis();
        // 1. watched first: killed after the run's change, a claim finds the pending run through this entry
        cells.watch(cellId, pos, new Cells.Entry(now + Math.min(exp.leaseMillis(), REQUEUE_GRACE_MILLIS), token));
        // 2. no outcome any more (killed before the run's change, a claim's reconciliation records it again)
        results.forget(cellId, exp.id(), pos);
        // 3. the commit point
        Document run = db.collections().runs().findOneAndUpdate(Filters.and(Filters.eq("_id", Runs.id(cellId, pos)), Filters.eq("status", from)),
                Updates.combine(Updates.set("status", "pending"), Updates.set("attempt", 0), Updates.unset("endedAt"),
                        Updates.unset("noObjective"), Runs.pushHistory(new Document("how", "requeued").append("from", from)
                                .append("at", new Date(now)))),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (run == null) {
            // Changed meanwhile (requeued by someone else): put its outcome back as the run says.
            Document current = db.collections().runs().find(Filters.eq("_id", Runs.id(cellId, pos))).first();
            if (current != null) {
                results.mirror(current);
            }
            cells.release(cellId, pos, token);
            return false;
        }
        // 4. resumed first, with its checkpoint
        if (!cells.toResume(cellId, pos, token)) {
            // Our entry was taken over: by a claim of the run (then it is watched), or by a claim that
            // looked too early and dropped it - then nothing reaches the pending run but resume.
            cells.resumeIfUnwatched(cellId, pos);
        }
        return true;
    }

    /** How many runs a cancel changed. */
    public record Cancelled(long pending, long running) {
    }

    /**
     * Cancels pending runs; with {@code running}, runs in flight too (their workers' next write is
     * refused with exit 6, which tells them to stop).
     */
    public Cancelled cancel(ExperimentRecord exp, Selection sel, boolean running) {
        new Lifecycle(db).requireWritable(exp.id(), "cancel");
        Date now = db.clock().now();
        long[] pending = {0};
        selected(exp, sel, Set.of("pending"), Projections.include("_id"), found -> {
            List<Object> ids = found.stream().map(d -> d.get("_id")).toList();
            List<WriteModel<Document>> writes = new ArrayList<>();
            for (Object id : ids) {
                // Single-document updates: retryable, unlike an updateMany.
                writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", id), Filters.eq("status", "pending")),
                        Updates.combine(Updates.set("status", "cancelled"), Updates.set("endedAt", now),
                                Runs.pushHistory(new Document("how", "cancelled").append("from", "pending").append("at", now)))));
            }
            pending[0] += db.collections().runs().bulkWrite(writes, new BulkWriteOptions().ordered(false)).getModifiedCount();
            recordOutcomes(db.collections().runs().find(Filters.and(Filters.in("_id", ids), Filters.eq("status", "cancelled"))));
        });
        return new Cancelled(pending[0], running ? cancelRunning(exp, sel) : 0);
    }

    /** Cancels the selected runs in flight; how many it changed (their workers' next write is refused). */
    long cancelRunning(ExperimentRecord exp, Selection sel) {
        Date now = db.clock().now();
        long inFlight = 0;
        {
            List<Document> flying = new ArrayList<>();
            selected(exp, sel, Set.of("running"), Projections.exclude("summary", "output", "params"), flying::addAll);
            for (Document r : flying) {
                Document done = db.collections().runs().findOneAndUpdate(Filters.and(Filters.eq("_id", r.get("_id")), Filters.eq("status", "running"),
                                Filters.eq("token", r.getString("token"))),
                        Updates.combine(Updates.set("status", "cancelled"), Updates.set("endedAt", now), Updates.unset("token"),
                                Runs.pushHistory(Runs.attemptEnded(r, "cancelled", now))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
                if (done != null) {
                    results.mirror(done);
                    cells.release(done.getString("cell"), done.getInteger("pos"), r.getString("token"));
                    inFlight++;
                }
            }
        }
        return inFlight;
    }

    /** Records the outcomes of these runs, a write per results page. */
    void recordOutcomes(Iterable<Document> runs) {
        Map<String, List<Document>> byCell = new LinkedHashMap<>();
        for (Document r : runs) {
            byCell.computeIfAbsent(r.getString("cell"), c -> new ArrayList<>()).add(r);
        }
        byCell.forEach(results::mirrorAll);
    }
}
