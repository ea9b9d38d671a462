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
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.spec.Origins;
import tracker.util.Suggestions;

/** The {@code experiments} collection: one small document per experiment version. */
public final class Experiments {
    /** Where each value of the definition was written when it was created or last extended: [path, place] pairs. */
    static final String ORIGINS = "origins";

    private final Database db;

    public Experiments(Database db) {
        this.db = db;
    }

    private MongoCollection<Document> coll() {
        return db.collections().experiments();
    }

    public void ensureIndexes() {
        coll().createIndex(Indexes.ascending("name", "version"), new IndexOptions().unique(true).name("name_version"));
    }

    public Optional<ExperimentRecord> byId(String id) {
        return Optional.ofNullable(coll().find(Filters.eq("_id", id)).first()).map(ExperimentRecord::from);
    }

    public Optional<ExperimentRecord> latest(String name) {
        return Optional.ofNullable(coll().find(Filters.eq("name", name)).sort(Sorts.descending("version")).limit(1).first())
                .map(ExperimentRecord::from);
    }

    /**
     * The newest version of {@code name} whose definition has this canonical hash, if any. Several
     * versions may share one when an older tracker planned a duplicate; the newest is the one that
     * tracker reconnected to.
     */
    public Optional<ExperimentRecord> newestWithHash(String name, String hash) {
        return Optional.ofNullable(coll().find(Filters.and(Filters.eq("name", name), Filters.eq("hash", hash)))
                .sort(Sorts.descending("version")).limit(1).first()).map(ExperimentRecord::from);
    }

    /**
     * NAME means its latest version, NAME@N that version; an unknown one is exit code 7 with the
     * closest existing name.
     */
    public ExperimentRecord resolve(String ref) {
        ExperimentRecord e = resolveAny(ref);
        if (new Lifecycle(db).mark(e.id()) == Lifecycle.Mark.deleting) {
            throw Lifecycle.beingDeleted(e.id()); // hidden from every command but delete and gc
        }
        return e;
    }

    /** As {@link #resolve}, an experiment being deleted included (for delete, which finishes it). */
    public ExperimentRecord resolveAny(String ref) {
        int at = ref.lastIndexOf('@');
        Optional<ExperimentRecord> found;
        if (at > 0 && ref.substring(at + 1).matches("\\d+")) {
            found = byId(ref);
        } else {
            found = latest(ref);
        }
        return found.orElseThrow(() -> {
            List<String> names = coll().distinct("name", String.class).into(new ArrayList<>());
            String near = Suggestions.closest(at > 0 ? ref.substring(0, at) : ref, names);
            return new TrackerException(ExitCode.NOT_FOUND, "no experiment '" + ref + "'",
                    near != null ? "did you mean '" + near + "'? 'tracker list' shows them all"
                            : names.isEmpty() ? "create one with 'tracker create FILE'" : "'tracker list' shows them all");
        });
    }

    /** Inserts a new experiment document; false when its id exists already (someone else was first). */
    boolean insert(Document doc) {
        try {
            coll().insertOne(doc);
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
        return coll().updateOne(filter, Updates.combine(update, Updates.set("updatedAt", new Date()))).getModifiedCount() == 1;
    }

    /** Notes planning progress (runs inserted so far); only to tell a planner that is alive from one that died. */
    void planned(String id, long runs) {
        if (runs != 0) {
            coll().updateOne(Filters.eq("_id", id), Updates.inc("planned", runs));
        }
    }

    /** Records the experiment's cells, so that claims look them up by id. Idempotent. */
    void addCells(String id, List<String> cellIds) {
        coll().updateOne(Filters.eq("_id", id), Updates.addEachToSet("cellIds", cellIds));
    }

    /** The definition an extension in progress started from, or null. */
    /** Where each value of an experiment's definition was written (empty for one created before this was kept). */
    public Origins origins(String id) {
        Document d = coll().find(Filters.eq("_id", id)).projection(new Document(ORIGINS, 1)).first();
        return d == null ? Origins.NONE : Origins.fromPairs(d.getList(ORIGINS, Object.class));
    }

    String extendingFrom(String id) {
        Document d = coll().find(Filters.eq("_id", id)).first();
        return d == null ? null : d.getString("extendingFrom");
    }

    /** The record with its runs counted by status, from its cells and results pages (see {@link ExperimentRecord#withCounts}). */
    public ExperimentRecord live(ExperimentRecord e) {
        List<Cells.Cell> cells = new Cells(db).of(e);
        long total = 0;
        long running = 0;
        for (Cells.Cell c : cells) {
            total += c.size();
            running += c.running().size();
        }
        if (!e.ready()) {
            total = Math.max(total, e.total()); // while planning: the runs inserted so far
        }
        return e.withCounts(total, running, new Results(db).counts(Cells.sizes(cells)));
    }

    public List<ExperimentRecord> all() {
        List<ExperimentRecord> out = new ArrayList<>();
        for (Document d : coll().find().sort(Sorts.ascending("name", "version"))) {
            out.add(ExperimentRecord.from(d));
        }
        return out;
    }
}
