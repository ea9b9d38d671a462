package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.util.Suggestions;

/** The {@code experiments} collection: one small document per experiment version. */
public final class Experiments {
    private final MongoCollection<Document> coll;
    private final Database db;

    public Experiments(Database db) {
        this.db = db;
        // Majority: on a replica set, an experiment acknowledged by a primary that then steps down
        // could be rolled back while workers already claim its runs.
        this.coll = db.mongo().getCollection("experiments").withWriteConcern(WriteConcern.MAJORITY);
    }

    public void ensureIndexes() {
        coll.createIndex(Indexes.ascending("name", "version"), new IndexOptions().unique(true).name("name_version"));
    }

    public Optional<ExperimentRecord> byId(String id) {
        return Optional.ofNullable(coll.find(Filters.eq("_id", id)).first()).map(ExperimentRecord::from);
    }

    public Optional<ExperimentRecord> latest(String name) {
        return Optional.ofNullable(coll.find(Filters.eq("name", name)).sort(Sorts.descending("version")).limit(1).first())
                .map(ExperimentRecord::from);
    }

    /**
     * NAME means its latest version, NAME@N that version; an unknown one is exit code 7 with the
     * closest existing name.
     */
    public ExperimentRecord resolve(String ref) {
        int at = ref.lastIndexOf('@');
        Optional<ExperimentRecord> found;
        if (at > 0 && ref.substring(at + 1).matches("\\d+")) {
            found = byId(ref);
        } else {
            found = latest(ref);
        }
        return found.orElseThrow(() -> {
            List<String> names = coll.distinct("name", String.class).into(new ArrayList<>());
            String near = Suggestions.closest(at > 0 ? ref.substring(0, at) : ref, names);
            return new TrackerException(ExitCode.NOT_FOUND, "no experiment '" + ref + "'",
                    near != null ? "did you mean '" + near + "'? 'tracker list' shows them all"
                            : names.isEmpty() ? "create one with 'tracker create FILE'" : "'tracker list' shows them all");
        });
    }

    /** Inserts a new experiment document; false when its id exists already (someone else was first). */
    boolean insert(Document doc) {
        try {
            coll.insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Applies {@code update} if the document still matches {@code filter}; false when someone changed it first. */
    boolean updateIf(Bson filter, Bson update) {
        return coll.updateOne(filter, Updates.combine(update, Updates.set("updatedAt", new Date()))).getModifiedCount() == 1;
    }

    void inc(String id, String field, long by) {
        if (by != 0) {
            coll.updateOne(Filters.eq("_id", id), Updates.inc(field, by));
        }
    }

    /** Records the experiment's cells, so that claims look them up by id. Idempotent. */
    void addCells(String id, List<String> cellIds) {
        coll.updateOne(Filters.eq("_id", id), Updates.addEachToSet("cellIds", cellIds));
    }

    /**
     * Counts runs that reached (by &gt; 0) or left (by &lt; 0) a finished status. Pending and running
     * are not stored: claims and preemptions change no count, which saves each a durable write.
     */
    void finished(String id, String status, long by) {
        if (by != 0 && !status.equals("pending") && !status.equals("running")) {
            coll.updateOne(Filters.eq("_id", id), Updates.inc("counts." + status, by));
        }
    }

    /**
     * Sets the completed and failed counts to what the per-cell results say (cancelled runs are
     * not all there: cancelling pending runs is one update of many runs, counted with it).
     * They are kept by an increment in a write of its own after each end, so a worker that died
     * between the two leaves them off by one; the results, written by every end (again on a
     * retried end), are the record. Run it while no run is ending: an end half-way is miscounted.
     *
     * @return the counts before and after, by status
     */
    public Map<String, long[]> recount(ExperimentRecord e) {
        Map<String, Long> actual = new java.util.LinkedHashMap<>();
        for (String s : List.of("completed", "failed")) {
            actual.put(s, 0L);
        }
        for (List<Results.Outcome> outcomes : new Results(db).of(e).values()) {
            for (Results.Outcome o : outcomes) {
                actual.computeIfPresent(o.status(), (k, n) -> n + 1);
            }
        }
        Map<String, long[]> change = new java.util.LinkedHashMap<>();
        List<Bson> sets = new java.util.ArrayList<>();
        actual.forEach((status, n) -> {
            change.put(status, new long[] {e.counts().getOrDefault(status, 0L), n});
            sets.add(Updates.set("counts." + status, n));
        });
        coll.updateOne(Filters.eq("_id", e.id()), Updates.combine(sets));
        return change;
    }

    /** The definition an extension in progress started from, or null. */
    String extendingFrom(String id) {
        Document d = coll.find(Filters.eq("_id", id)).first();
        return d == null ? null : d.getString("extendingFrom");
    }

    /** The record with its live counts of pending and running runs (reads its cells). */
    public ExperimentRecord live(ExperimentRecord e) {
        long running = 0;
        for (Document c : new Cells(db).of(e)) {
            Document r = c.get("running", Document.class);
            running += r == null ? 0 : r.size();
        }
        return e.withRunning(running);
    }

    public List<ExperimentRecord> all() {
        List<ExperimentRecord> out = new ArrayList<>();
        for (Document d : coll.find().sort(Sorts.ascending("name", "version"))) {
            out.add(ExperimentRecord.from(d));
        }
        return out;
    }
}
