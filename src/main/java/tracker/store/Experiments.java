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
import com.mongodb.client.model.PushOptions;
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
    /** Entries kept in an experiment's {@code history} (creation, extensions, priority changes): the latest ones. */
    static final int HISTORY = 1000;

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
        if (e.mark() == Lifecycle.Mark.deleting) { // read with the record: no second look at its document
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
        return found.orElseThrow(() -> notFound(ref));
    }

    /** "no experiment 'REF'", with the nearest name as a hint. */
    public TrackerException notFound(String ref) {
        int at = ref.lastIndexOf('@');
        List<String> names = coll().distinct("name", String.class).into(new ArrayList<>());
        String near = Suggestions.closest(at > 0 ? ref.substring(0, at) : ref, names);
        return new TrackerException(ExitCode.NOT_FOUND, "no experiment '" + ref + "'",
                near != null ? "did you mean '" + near + "'? 'tracker list' shows them all"
                        : names.isEmpty() ? "create one with 'tracker create FILE'" : "'tracker list' shows them all");
    }

    /** The versions whose definitions say they were derived from {@code id}, in name and version order. */
    public List<String> derivedFrom(String id) {
        List<String> out = new ArrayList<>();
        for (Document d : coll().find(Filters.eq("derivedFrom", id)).projection(new Document("_id", 1)).sort(Sorts.ascending("name", "version"))) {
            out.add(d.getString("_id"));
        }
        return out;
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

    /** Appends to an experiment's {@code history}, keeping the latest {@value #HISTORY} entries (the document stays small). */
    static Bson pushHistory(Document entry) {
        return Updates.pushEach("history", List.of(entry), new PushOptions().slice(-HISTORY));
    }

    /** Records a change in the experiment's history. */
    void recordHistory(String id, Document entry) {
        coll().updateOne(Filters.eq("_id", id), Updates.combine(pushHistory(entry), Updates.set("updatedAt", new Date())));
    }

    /**
     * The priority changes in an experiment's history, oldest first, as plain values: {at (ISO-8601),
     * action "priority", cells + from (lists) or run + from, to}, and {at, action "extended",
     * priorities: [{model, from, to}]} for extensions that changed a model's priority.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> priorityChanges(String id) {
        Document d = coll().find(Filters.eq("_id", id)).projection(new Document("history", 1)).first();
        List<Map<String, Object>> out = new ArrayList<>();
        if (d == null || !(d.get("history") instanceof List<?> history)) {
            return out;
        }
        for (Object o : history) {
            Document h = (Document) o;
            boolean priority = "priority".equals(h.getString("action"));
            if (!priority && !(h.get("priorities") instanceof List<?>)) {
                continue;
            }
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("at", h.getDate("at") == null ? null : h.getDate("at").toInstant().toString());
            m.put("action", h.getString("action"));
            if (priority) {
                for (String field : List.of("cells", "run", "from", "to")) {
                    if (h.containsKey(field)) {
                        m.put(field, h.get(field));
                    }
                }
            } else {
                List<Object> changed = new ArrayList<>();
                for (Document p : (List<Document>) h.get("priorities")) {
                    changed.add(new java.util.LinkedHashMap<>(p));
                }
                m.put("priorities", changed);
            }
            out.add(m);
        }
        return out;
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

    /**
     * What list shows and filters by, kept beside the definition so that listing needs no parsing:
     * its description, tags and the version it was derived from (null: none).
     */
    static org.bson.conversions.Bson describing(tracker.spec.Definition def) {
        return Updates.combine(Updates.set("description", def.description()), Updates.set("tags", def.tags()),
                Updates.set("derivedFrom", def.derivedFrom()));
    }

    /** Where each value of an experiment's definition was written (empty for one created before this was kept). */
    public Origins origins(String id) {
        Document d = coll().find(Filters.eq("_id", id)).projection(new Document(ORIGINS, 1)).first();
        return d == null ? Origins.NONE : Origins.fromPairs(d.getList(ORIGINS, Object.class));
    }

    /** What an extension in progress started from: its definition and its grids' stages. */
    record ExtendingFrom(String definitionYaml, tracker.plan.GridStages grids) {
    }

    /** What an extension in progress started from, or null. */
    ExtendingFrom extendingFrom(String id) {
        Document d = coll().find(Filters.eq("_id", id)).first();
        return d == null || d.getString("extendingFrom") == null ? null
                : new ExtendingFrom(d.getString("extendingFrom"), StoredGrids.from(d.get("extendingGrids")));
    }

    /**
     * How the experiment's grids grew ({@link tracker.plan.GridStages#NONE} when none did): what its
     * plan is made of besides its definition. Changed only together with the definition, in one update.
     */
    public tracker.plan.GridStages gridStages(String id) {
        Document d = coll().find(Filters.eq("_id", id)).projection(new Document("grids", 1)).first();
        return d == null ? tracker.plan.GridStages.NONE : StoredGrids.from(d.get("grids"));
    }

    /** The record with its runs counted by status, from its cells and results pages (see {@link ExperimentRecord#withCounts}). */
    public ExperimentRecord live(ExperimentRecord e) {
        List<Cells.Cell> cells = new Cells(db).of(e);
        long total = 0;
        long running = 0;
        List<String> watched = new ArrayList<>();
        for (Cells.Cell c : cells) {
            total += c.size();
            running += c.running().size();
            c.running().keySet().forEach(pos -> watched.add(Runs.id(c.id(), pos)));
        }
        if (!e.ready()) {
            total = Math.max(total, e.total()); // while planning: the runs inserted so far
        }
        ExperimentRecord counted = e.withCounts(total, running, new Results(db).counts(Cells.sizes(cells)));
        // The runs in flight: their last claim, log or heartbeat is the experiment's latest sign of life.
        long seen = 0;
        if (!watched.isEmpty()) {
            for (Document r : db.collections().runs().find(Filters.in("_id", watched))
                    .projection(new Document("heartbeatAt", 1).append("claimedAt", 1))) {
                for (String field : List.of("heartbeatAt", "claimedAt")) {
                    if (r.getDate(field) != null) {
                        seen = Math.max(seen, r.getDate(field).getTime());
                    }
                }
            }
        }
        return seen == 0 ? counted : counted.seenAt(seen);
    }

    public List<ExperimentRecord> all() {
        List<ExperimentRecord> out = new ArrayList<>();
        for (Document d : coll().find().sort(Sorts.ascending("name", "version"))) {
            out.add(ExperimentRecord.from(d));
        }
        return out;
    }
}
