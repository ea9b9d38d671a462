package tracker.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.RawBsonDocument;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * The end of an experiment's life: archive (read-only, hidden from {@code list}), delete, and the
 * garbage collection of what no experiment references. This class owns the two marks on an
 * experiment document:
 *
 * <pre>
 * {_id: "exp@2", ..., archived: ISODate(...)}    read-only: nothing claims, logs, ends, requeues, cancels or extends
 * {_id: "exp@2", ..., deleting: ISODate(...)}    being deleted: hidden, refused by every command but delete and gc
 * </pre>
 *
 * They are fields of their own, not values of {@code state} ("planning", "ready"), because a
 * planner that finishes sets {@code state} unconditionally and must not undo a mark.
 *
 * <h2>Delete, cut-safe</h2>
 * Every document of an experiment has an {@code _id} that starts with the experiment id and a
 * slash ({@code exp@2/mlp/iris/3}, {@code exp@2/mlp/iris/a3#b12}, {@code exp@2/mlp/iris#0}); names
 * and versions hold no slash, so the documents of {@code exp@2} are exactly the range
 * {@code ["exp@2/", "exp@20")} of the {@code _id} index in every collection (the character after
 * {@code /} is {@code 0}) - no other index needed, on any server, and {@code exp@20}'s own range
 * starts where this one ends. A delete is:
 * <ol>
 * <li>one conditional update that sets {@code deleting} (the commit point: from here on the
 *     experiment is hidden and refused, and the delete is only ever finished, never undone);</li>
 * <li>the dependent documents, collection by collection, in batches removed by {@code _id}
 *     (each removal idempotent: a re-run removes what is left);</li>
 * <li>the experiment document last, so that a delete cut short leaves a {@code deleting}
 *     experiment that {@code delete} or {@code gc} finishes - and its id stays taken until then,
 *     so no new experiment can be created into a half-deleted one.</li>
 * </ol>
 * A worker write that passed its check just before the mark (a log in flight) can still upsert
 * one document into the range after step 2: {@code gc} finds it as an orphan. Each batch of step 2
 * re-reads the mark first: when two finishers race and one removes the experiment, the other stops
 * rather than remove what a new create of the freed id may be writing.
 *
 * <h2>gc and concurrent creates ({@link GarbageCollector})</h2>
 * An orphan is a document whose experiment document does not exist. {@code create} inserts the
 * experiment document before anything of it, so a document without one is left over - unless a
 * create of that very id is about to start. gc therefore never removes a range by a read alone:
 * it first <em>claims</em> the id by inserting a placeholder experiment document marked
 * {@code deleting} (a create then fails its insert and reads that the name is being deleted; if the
 * create was first, gc's insert fails and the range is left alone), and then finishes it as a
 * delete does. The candidates are listed before the experiments are read, so an experiment
 * created in between is seen.
 */
public final class Lifecycle {
    /** The mark of an archived experiment: when it was archived. */
    static final String ARCHIVED = "archived";
    /** The mark of an experiment being deleted: when the delete began. */
    static final String DELETING = "deleting";
    private static final int BATCH = 1000;

    /** Where an experiment is in its life. */
    public enum Mark { live, archived, deleting }

    /** What a delete or gc removed (or would remove): documents and BSON bytes per collection. */
    public record Removed(Map<String, Long> documents, Map<String, Long> bytes) {
        public static Removed none() {
            return new Removed(new LinkedHashMap<>(), new LinkedHashMap<>());
        }

        void add(String collection, long docs, long size) {
            documents.merge(collection, docs, Long::sum);
            bytes.merge(collection, size, Long::sum);
        }

        void addAll(Removed other) {
            other.documents.forEach((c, n) -> documents.merge(c, n, Long::sum));
            other.bytes.forEach((c, n) -> bytes.merge(c, n, Long::sum));
        }

        public long totalDocuments() {
            return documents.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalBytes() {
            return bytes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Database db;

    public Lifecycle(Database db) {
        this.db = db;
    }

    /** The collections that hold an experiment's documents, by name, in the order a delete empties them. */
    Map<String, MongoCollection<Document>> dependents() {
        Collections c = db.collections();
        Map<String, MongoCollection<Document>> m = new LinkedHashMap<>();
        // Cells first: a claim that still reads the experiment finds no queue to take from.
        m.put("cells", c.cells());
        m.put("runs", c.runs());
        m.put("metrics", c.metrics());
        m.put("steps", c.steps());
        m.put("results", c.results());
        m.put("trials", c.trials());
        m.put("rungs", c.rungs());
        return m;
    }

    /** The experiment id a dependent document's {@code _id} belongs to (what precedes its first slash), or null. */
    static String experimentOf(Object id) {
        if (!(id instanceof String s)) {
            return null;
        }
        int slash = s.indexOf('/');
        return slash > 0 ? s.substring(0, slash) : null;
    }

    // ---- marks ----------------------------------------------------------------------------------

    /** The mark of this experiment; null when it does not exist. */
    public Mark mark(String experimentId) {
        Document d = db.collections().experiments().find(Filters.eq("_id", experimentId))
                .projection(Projections.include(ARCHIVED, DELETING)).first();
        return d == null ? null : markOf(d);
    }

    static Mark markOf(Document d) {
        return d.get(DELETING) != null ? Mark.deleting : d.get(ARCHIVED) != null ? Mark.archived : Mark.live;
    }

    /**
     * Refuses {@code action} on an archived or deleting experiment (exit 8): next, requeue, cancel
     * and extend check this first.
     */
    public void requireWritable(String experimentId, String action) {
        Mark m = mark(experimentId);
        if (m == Mark.archived) {
            throw new TrackerException(ExitCode.CONFLICT, "cannot " + action + ": experiment " + experimentId
                    + " is archived; unarchive it first", "tracker unarchive -e " + experimentId);
        }
        if (m == Mark.deleting) {
            throw beingDeleted(experimentId);
        }
    }

    /**
     * Refuses a worker's write (log, heartbeat, end) on a run of an archived or deleting experiment
     * with exit 6, as a lost lease is: nothing was written, and the worker should stop this run.
     */
    void requireWritableRun(String runId) {
        String exp = experimentOf(runId);
        Mark m = exp == null ? null : mark(exp);
        if (m == Mark.archived || m == Mark.deleting) {
            throw new TrackerException(ExitCode.LEASE_LOST, "experiment " + exp + (m == Mark.archived
                    ? " is archived; unarchive it first" : " is being deleted") + "; nothing was written for run " + runId,
                    m == Mark.archived ? "stop working on this run; after 'tracker unarchive -e " + exp + "' it can be claimed again"
                            : "stop working on this run: its experiment is going away");
        }
    }

    static TrackerException beingDeleted(String experimentId) {
        return new TrackerException(ExitCode.CONFLICT, "experiment " + experimentId + " is being deleted",
                "'tracker delete -e " + experimentId + "' (or 'tracker gc') finishes the delete");
    }

    /** Exit 7: the experiment was deleted while a command was working on it. */
    public static TrackerException goneMeanwhile(String experimentId) {
        return new TrackerException(ExitCode.NOT_FOUND, "experiment " + experimentId + " is being deleted or went away meanwhile", null);
    }

    /** Marks the experiment archived; false when it is being deleted or gone. Idempotent. */
    public boolean archive(String experimentId) {
        var coll = db.collections().experiments();
        coll.updateOne(Filters.and(Filters.eq("_id", experimentId), Filters.exists(DELETING, false), Filters.exists(ARCHIVED, false)),
                Updates.set(ARCHIVED, db.clock().now()));
        return mark(experimentId) == Mark.archived;
    }

    /** Makes the experiment writable again; false when it is being deleted or gone. Idempotent. */
    public boolean unarchive(String experimentId) {
        db.collections().experiments().updateOne(Filters.and(Filters.eq("_id", experimentId), Filters.exists(DELETING, false)),
                Updates.unset(ARCHIVED));
        return mark(experimentId) == Mark.live;
    }

    /**
     * Cancels the runs in flight of an archived experiment (archive --force), as {@code cancel
     * --running} does; pending runs stay pending for after an unarchive.
     */
    public long cancelInFlight(ExperimentRecord exp) {
        return new Admin(db).cancelRunning(exp, new Admin.Selection(java.util.Set.of(), java.util.Set.of(), java.util.Set.of()));
    }

    // ---- delete ---------------------------------------------------------------------------------

    /** Step 1 of a delete, its commit point: marks the experiment {@code deleting}. True when it is (now or before). */
    public boolean markDeleting(String experimentId) {
        db.collections().experiments().updateOne(Filters.and(Filters.eq("_id", experimentId), Filters.exists(DELETING, false)),
                Updates.set(DELETING, db.clock().now()));
        return mark(experimentId) == Mark.deleting;
    }

    /**
     * Steps 2 and 3: removes every document of a {@code deleting} experiment, then the experiment.
     * Refuses (exit 8) an experiment that is not marked: nothing is removed without the commit point.
     */
    public Removed finishDelete(String experimentId) {
        Mark m = mark(experimentId);
        if (m == null) {
            // Without its document the id is free: a create may be filling it right now.
            throw goneMeanwhile(experimentId);
        }
        if (m != Mark.deleting) {
            throw new TrackerException(ExitCode.CONFLICT, "experiment " + experimentId + " is not being deleted; nothing removed", null);
        }
        Removed removed = Removed.none();
        dependents().forEach((name, coll) -> removed.add(name, 0, 0));
        for (Map.Entry<String, MongoCollection<Document>> e : dependents().entrySet()) {
            long[] n = removeRange(e.getValue(), experimentId, false, () -> mark(experimentId) == Mark.deleting);
            removed.add(e.getKey(), n[0], n[1]);
        }
        RawBsonDocument exp = db.collections().experiments().withDocumentClass(RawBsonDocument.class)
                .find(Filters.eq("_id", experimentId)).first();
        long expBytes = exp == null ? 0 : exp.getByteBuffer().remaining();
        long gone = db.collections().experiments().deleteOne(Filters.and(Filters.eq("_id", experimentId), Filters.exists(DELETING))).getDeletedCount();
        removed.add("experiments", gone, gone == 0 ? 0 : expBytes);
        return removed;
    }

    /** What a delete would remove now (nothing is written): documents and bytes per collection. */
    public Removed measure(String experimentId) {
        Removed r = Removed.none();
        dependents().forEach((name, coll) -> {
            long[] n = removeRange(coll, experimentId, true, () -> true);
            r.add(name, n[0], n[1]);
        });
        return r;
    }

    /**
     * Removes (or with {@code dryRun} only measures) the experiment's range of one collection, a
     * batch at a time, each batch by its ids: a delete by ids is idempotent, and counts exactly what
     * it removed. Returns {documents, bytes}.
     */
    private static long[] removeRange(MongoCollection<Document> coll, String experimentId, boolean dryRun,
                                      java.util.function.BooleanSupplier stillMarked) {
        MongoCollection<RawBsonDocument> raw = coll.withDocumentClass(RawBsonDocument.class);
        long docs = 0;
        long bytes = 0;
        String from = experimentId + "/";
        while (true) {
            List<Object> ids = new ArrayList<>();
            long size = 0;
            String last = null;
            // '0' follows '/': below it, every id that starts with "exp@2/" and nothing else ("exp@20/..." starts at the bound)
            for (RawBsonDocument d : raw.find(Filters.and(Filters.gte("_id", from), Filters.lt("_id", experimentId + "0")))
                    .sort(Sorts.ascending("_id")).limit(BATCH)) {
                ids.add(d.getString("_id").getValue());
                size += d.getByteBuffer().remaining();
                last = d.getString("_id").getValue();
            }
            if (ids.isEmpty()) {
                return new long[] {docs, bytes};
            }
            if (dryRun) {
                docs += ids.size();
                bytes += size;
                from = last + "\0"; // the next id after the last one read
            } else {
                if (!stillMarked.getAsBoolean()) {
                    // Another delete or gc finished it meanwhile, and the id is free again: what is
                    // in the range now may be a new create's. Stop; a later gc judges what is left.
                    return new long[] {docs, bytes};
                }
                long n = coll.deleteMany(Filters.in("_id", ids)).getDeletedCount();
                docs += n;
                bytes += n == ids.size() ? size : size * n / ids.size(); // another delete removed some first: their share
            }
            if (ids.size() < BATCH) {
                return new long[] {docs, bytes};
            }
        }
    }

}
