package tracker.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import tracker.RunStatus;
import tracker.plan.QueueLayout;
import tracker.spec.Definition;

/**
 * The run queues: one small {@code cells} document per (model, dataset) cell of an experiment.
 *
 * <pre>
 * {_id: "exp@1/mlp/iris", experiment, model, dataset, priority,
 *  size: 12,                  queue positions 0..size-1, one run each (run id = cell id + "/" + pos)
 *  next: 5,                   positions from here on were never handed out
 *  resume: [2],               positions to hand out first (preempted, requeued)
 *  running: {"3": {until: 1764540000000, token: "9f..."}},   positions to watch, see below
 *  boosts: {"7": 50}}         pending runs moved ahead ({@code tracker priority --run}), see below
 * </pre>
 *
 * <h2>Priorities</h2>
 * Claims serve cells by {@link Cell#effectivePriority}: the cell's {@code priority} (the
 * definition's, set when the cell is made, changed by {@code tracker priority} or an extension that
 * changes the model's priority), raised by its {@code boosts}. A boost is one pending run moved
 * ahead: its position is put at the front of {@code resume} and recorded in {@code boosts} with
 * its priority, in one compare-and-set on {@code resume}; the update that takes the position out of
 * {@code resume} (or hands it out fresh) drops the boost. So boosted positions are always a subset
 * of {@code resume}, at most {@link #MAX_BOOSTS} of them, and a cell is raised only while it holds
 * a boosted run nobody has claimed. A boosted position is still handed out again when {@code next}
 * reaches it; {@link Reconcile} then finds its run running or finished and only restores the entry
 * or records the outcome, as for a requeued run.
 *
 * <h2>The record and what is derived from it</h2>
 * The {@code runs} collection is the record: a run's status says what is true. Everything else is
 * derived from the runs and only ever repaired <em>towards</em> them: the cells ({@code next},
 * {@code resume}, {@code running}), the {@code results} pages (outcomes and their counts, see
 * {@link Results}) and the runs' metric summaries (see {@link Metrics}). Every change of state is a
 * sequence of single-document writes (no transactions; each one retryable) in which the run's
 * update is the commit point, ordered so that a process killed after any one of them leaves
 * nothing lost - only derived state that lags, and a path on which it is repaired.
 *
 * <h2>Invariants</h2>
 * <ol>
 * <li>A <b>pending</b> run's position is at or after {@code next}, or in {@code resume}, or in
 *     {@code running}: some claim will reach it.</li>
 * <li>A <b>running</b> run's position is in {@code running}: its lease is watched.</li>
 * <li>A <b>finished</b> run ({@link RunStatus#FINISHED}: completed, a kind of failure, cancelled, pruned) has its outcome in {@code results}, or
 *     its position is still where a claim will look at it (1. or 2.), which records the outcome.</li>
 * </ol>
 * An entry of {@code running} means "look at this run after {@code until}" - usually a claim in
 * flight, but also a change half done. {@link Reconcile} is what looks: it reads the run and makes
 * the entry and the outcome agree with it (hands out a pending run, refreshes the deadline of a
 * live one, takes over an expired one, records a finished one and drops the entry). Entries are
 * only removed by the writer that put them there (a compare-and-set on their token) or by a
 * reconciliation that read the run; {@code resume} positions are only taken out together with an
 * entry put in their place.
 *
 * <h2>How each command keeps them</h2>
 * <ul>
 * <li>{@code next}, fresh (a {@link Claims} step): the cell's compare-and-set on {@code next} also
 *     puts the entry; then the run goes pending to running. Killed in between: the entry finds the
 *     pending run after {@link Claims#CONFIRM_MILLIS} at most and hands it out.</li>
 * <li>{@code next}, resumed: the pop of {@code resume} puts the entry in the same update.</li>
 * <li>{@code next}, expired lease: the run changes first (new token, or failed after its last
 *     attempt), then the entry; an entry left with an old token is refreshed from the run.</li>
 * <li>{@code end} with a finished status: the run (commit), its outcome, then the entry is
 *     dropped. Killed in between: the entry is still there; its reconciliation records the outcome.</li>
 * <li>{@code end --status preempted}: the entry's deadline is set to now, the run goes back to
 *     pending (commit), then one update moves the position from the entry to {@code resume}.
 *     Killed in between: the pending run is handed out from its entry at once.</li>
 * <li>{@code requeue}: an entry is put first (due after a grace period), the outcome is removed, the
 *     run goes back to pending (commit), then one update moves the position to {@code resume}.</li>
 * <li>{@code cancel}: pending runs change status (commit), then their outcomes are recorded; a
 *     claim that meets a cancelled run in the queue records its outcome too.</li>
 * <li>{@code priority}: a cell's priority is one idempotent update; a run moved ahead is one
 *     compare-and-set that puts its position at the front of {@code resume} with its boost (the run
 *     stays pending, so invariant 1 holds either way).</li>
 * <li>{@code create} inserts the runs before the queues grow to them; counts are never stored
 *     apart: totals are the cells' sizes, finished counts the results pages' own counts.</li>
 * <li>{@code tracker status --repair} rebuilds all of it from the runs ({@link Repair}).</li>
 * </ul>
 */
public final class Cells {
    /** The most boosted runs a cell holds at once (the cell document stays small whatever the operator does). */
    public static final int MAX_BOOSTS = 100;

    private final Database db;

    public Cells(Database db) {
        this.db = db;
    }

    private MongoCollection<Document> coll() {
        return db.collections().cells();
    }

    /** A watched position: look at its run after {@code until} (server time, ms); {@code token} is whoever put it. */
    public record Entry(long until, String token) {
        Document document() {
            return new Document("until", until).append("token", token);
        }
    }

    /** A cell as read: its queue and what is being watched. */
    public record Cell(String id, String model, String dataset, int priority, int size, int next, List<Integer> resume,
                       Map<Integer, Entry> running, Map<Integer, Integer> boosts) {
        @SuppressWarnings("unchecked")
        static Cell from(Document d) {
            Map<Integer, Entry> running = new LinkedHashMap<>();
            Document r = d.get("running", Document.class);
            if (r != null) {
                r.forEach((pos, v) -> {
                    Document e = (Document) v;
                    running.put(Integer.parseInt(pos), new Entry(((Number) e.get("until")).longValue(), e.getString("token")));
                });
            }
            List<Integer> resume = new ArrayList<>();
            for (Object p : d.get("resume", List.class) == null ? List.of() : (List<Object>) d.get("resume", List.class)) {
                resume.add(((Number) p).intValue());
            }
            Map<Integer, Integer> boosts = new LinkedHashMap<>();
            Document b = d.get("boosts", Document.class);
            if (b != null) {
                b.forEach((pos, v) -> boosts.put(Integer.parseInt(pos), ((Number) v).intValue()));
            }
            return new Cell(d.getString("_id"), d.getString("model"), d.getString("dataset"), d.getInteger("priority", 0),
                    d.getInteger("size", 0), d.getInteger("next", 0), resume, running, boosts);
        }

        /** What claims order the cell by: its priority, or a boosted run's if higher. */
        public int effectivePriority() {
            int p = priority;
            for (int b : boosts.values()) {
                p = Math.max(p, b);
            }
            return p;
        }

        /** Whether a claim may find work here without waiting: never handed out, or to resume. */
        boolean claimable() {
            return next < size || !resume.isEmpty();
        }
    }

    public void ensureIndexes() {
        // For an experiment's cells while it is being planned (afterwards they are looked up by id).
        coll().createIndex(Indexes.ascending("experiment"), new IndexOptions().name("experiment"));
    }

    /**
     * Creates missing cells and grows existing ones to the layout's sizes. Idempotent. A new cell
     * takes its model's priority from the definition; an existing one keeps the priority it has
     * ({@code tracker priority} may have changed it) unless its model is in {@code repriced}: an
     * extension that changed that model's priority in the definition.
     */
    public void ensure(String experimentId, Definition def, QueueLayout layout, Set<String> repriced) {
        for (Map.Entry<String, Integer> e : layout.cellSizes().entrySet()) {
            String[] md = e.getKey().split("/", 2);
            int priority = def.priorityOf(def.models().get(md[0]));
            coll().updateOne(Filters.eq("_id", Runs.cellId(experimentId, e.getKey())),
                    Updates.combine(
                            Updates.setOnInsert("experiment", experimentId),
                            Updates.setOnInsert("model", md[0]),
                            Updates.setOnInsert("dataset", md[1]),
                            Updates.setOnInsert("next", 0),
                            Updates.setOnInsert("resume", List.of()),
                            Updates.setOnInsert("running", new Document()),
                            repriced.contains(md[0]) ? Updates.set("priority", priority) : Updates.setOnInsert("priority", priority),
                            Updates.max("size", e.getValue())),
                    new UpdateOptions().upsert(true));
        }
    }

    /** Sets a cell's priority (tracker priority). Idempotent. */
    public void setPriority(String cellId, int priority) {
        coll().updateOne(Filters.eq("_id", cellId), Updates.set("priority", priority));
    }

    /**
     * Moves the pending run at {@code pos} ahead: puts it at the front of {@code resume} (taking it
     * out of where it was there) and records its boost, in one compare-and-set on the {@code resume}
     * the caller read. False when {@code resume} changed meanwhile: read the cell again.
     */
    public boolean boost(Cell cell, int pos, int priority) {
        List<Integer> resume = new ArrayList<>();
        resume.add(pos);
        cell.resume().stream().filter(p -> p != pos).forEach(resume::add);
        return coll().updateOne(Filters.and(Filters.eq("_id", cell.id()), Filters.eq("resume", cell.resume())),
                Updates.combine(Updates.set("resume", resume), Updates.set("boosts." + pos, priority))).getModifiedCount() == 1;
    }

    /**
     * The cells of an experiment, looked up by their ids (which the experiment lists): on the
     * embedded server a filter on any other field scans every cell of every experiment.
     */
    public List<Cell> of(ExperimentRecord exp) {
        List<Cell> out = new ArrayList<>();
        for (Document d : exp.cellIds().isEmpty() ? coll().find(Filters.eq("experiment", exp.id()))
                : coll().find(Filters.in("_id", exp.cellIds()))) {
            out.add(Cell.from(d));
        }
        return out;
    }

    /** The cells of an experiment, model by model and dataset by dataset as the definition lists them. */
    public List<Cell> inDefinitionOrder(ExperimentRecord exp) {
        List<Cell> cells = of(exp);
        cells.sort(java.util.Comparator.comparingInt((Cell c) -> exp.models().indexOf(c.model()))
                .thenComparingInt(c -> exp.datasets().indexOf(c.dataset())));
        return cells;
    }

    /** The cell with this id, or null. */
    Cell get(String cellId) {
        Document d = coll().find(Filters.eq("_id", cellId)).first();
        return d == null ? null : Cell.from(d);
    }

    /** Cell id to number of queue positions. */
    public static Map<String, Integer> sizes(List<Cell> cells) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        cells.forEach(c -> sizes.put(c.id(), c.size()));
        return sizes;
    }

    private static String at(int pos) {
        return "running." + pos;
    }

    /** A boost goes with the update that hands its position out, whichever way. */
    private static String boost(int pos) {
        return "boosts." + pos;
    }

    /** Takes the fresh position {@code k} if it is still the next one, watching it with {@code entry}. */
    boolean takeFresh(String cellId, int k, Entry entry) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.eq("next", k)),
                Updates.combine(Updates.inc("next", 1), Updates.set(at(k), entry.document()), Updates.unset(boost(k)))).getModifiedCount() == 1;
    }

    /** Takes {@code pos} from the front of {@code resume} if it is still there, watching it in the same update. */
    boolean takeResumed(String cellId, int pos, Entry entry) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.eq("resume.0", pos)),
                Updates.combine(Updates.popFirst("resume"), Updates.set(at(pos), entry.document()), Updates.unset(boost(pos))))
                .getModifiedCount() == 1;
    }

    /** Watches {@code pos} with {@code entry}, whatever was there (its run was just claimed by the caller). */
    void watch(String cellId, int pos, Entry entry) {
        coll().updateOne(Filters.eq("_id", cellId), Updates.set(at(pos), entry.document()));
    }

    /** Watches {@code pos} with {@code entry} if nothing watches it (a repair). */
    boolean watchIfUnwatched(String cellId, int pos, Entry entry) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.exists(at(pos), false)),
                Updates.set(at(pos), entry.document())).getModifiedCount() == 1;
    }

    /** Replaces the entry of {@code pos} if it still has {@code token}. */
    boolean replace(String cellId, int pos, String token, Entry entry) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.eq(at(pos) + ".token", token)),
                Updates.set(at(pos), entry.document())).getModifiedCount() == 1;
    }

    /** Makes the entry of {@code pos} due now, if it still has {@code token}: a change of its run follows. */
    void dueNow(String cellId, int pos, String token) {
        coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.eq(at(pos) + ".token", token)),
                Updates.set(at(pos) + ".until", 0L));
    }

    /** Drops the entry of {@code pos} if it still has {@code token}. */
    boolean release(String cellId, int pos, String token) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.eq(at(pos) + ".token", token)),
                Updates.unset(at(pos))).getModifiedCount() == 1;
    }

    /** Moves {@code pos} from its entry (if it still has {@code token}) to the end of {@code resume}, in one update. */
    boolean toResume(String cellId, int pos, String token) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.eq(at(pos) + ".token", token)),
                Updates.combine(Updates.unset(at(pos)), Updates.addToSet("resume", pos))).getModifiedCount() == 1;
    }

    /**
     * Adds {@code pos} to {@code resume} unless it is watched: for a pending run that no path
     * reaches any more (only when its writer lost its entry, or in a repair).
     */
    boolean resumeIfUnwatched(String cellId, int pos) {
        return coll().updateOne(Filters.and(Filters.eq("_id", cellId), Filters.exists(at(pos), false)),
                Updates.addToSet("resume", pos)).getModifiedCount() == 1;
    }
}
