package tracker.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.bson.BsonBinaryReader;
import org.bson.BsonType;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;

import tracker.RunStatus;

/**
 * The {@code results} collection: the outcome of every finished run (trial, replicate, status, best
 * and last value of the objective, how long it took), in pages of {@value #PAGE} queue positions of
 * one cell, with the page's counts by status kept in the same document. Reports read these - never
 * the runs or their metrics - which keeps them fast at 100,000 runs; no document grows with the
 * number of runs (a page holds at most {@value #PAGE} entries of about 90 bytes).
 *
 * <p>An entry is derived from its run and only ever made to agree with it ({@link #mirror}): the
 * write compares the stored entry first and is a compare-and-set on it, with the counts changed in
 * the same single-document update, so repeating it (a retried end, a repair) changes nothing and
 * the counts can never disagree with the entries.
 *
 * <pre>
 * {_id: "exp@1/mlp/iris#0", experiment, cell, page: 0,
 *  n: {completed: 7, failed: 1},
 *  e: {"3": {t: 1, r: 0, s: "completed", b: 0.93, l: 0.91, d: 5210, at: 1764540000000}, ...}}
 * </pre>
 */
public final class Results {
    /** Queue positions per page document. */
    static final int PAGE = 1000;
    /**
     * Pages read in one query: a reply of at most about 10 MB (the embedded server sends a query's
     * whole result at once, whatever the batch size, and the driver refuses replies over 48 MB).
     */
    private static final int PAGES_PER_READ = 100;

    private final Database db;

    public Results(Database db) {
        this.db = db;
    }

    private MongoCollection<Document> coll() {
        return db.collections().results();
    }

    static String pageId(String cellId, int pos) {
        return cellId + "#" + pos / PAGE;
    }

    static int pages(int size) {
        return (size + PAGE - 1) / PAGE;
    }

    /** Makes the run's recorded outcome agree with the run: an entry when it is finished, none otherwise. */
    void mirror(Document run) {
        mirrorAll(run.getString("cell"), List.of(run));
    }

    /**
     * The same for several runs of one cell, read just now, a write per page (a cancel, a repair).
     *
     * @return how many entries changed
     */
    int mirrorAll(String cellId, List<Document> runs) {
        Map<Integer, Map<Integer, Document>> byPage = new TreeMap<>();
        String experiment = null;
        for (Document run : runs) {
            int pos = run.getInteger("pos");
            byPage.computeIfAbsent(pos / PAGE, p -> new TreeMap<>()).put(pos, entry(run));
            experiment = run.getString("experiment");
        }
        int changed = 0;
        for (Map.Entry<Integer, Map<Integer, Document>> page : byPage.entrySet()) {
            changed += apply(cellId, experiment, page.getKey(), page.getValue());
        }
        return changed;
    }

    /** Removes the entry of the run at {@code pos}, whatever it said (a requeue, before the run changes). */
    void forget(String cellId, String experiment, int pos) {
        Map<Integer, Document> none = new TreeMap<>();
        none.put(pos, null);
        apply(cellId, experiment, pos / PAGE, none);
    }

    /**
     * Removes the entry of the run at {@code pos} if it is still exactly {@code stale} (a repair
     * that found it on a run that is not finished; an end meanwhile writes a different entry).
     */
    boolean forgetIf(String cellId, int pos, Document stale) {
        String path = "e." + pos;
        return coll().updateOne(Filters.and(Filters.eq("_id", pageId(cellId, pos)), Filters.eq(path, stale)),
                Updates.combine(Updates.unset(path), Updates.inc("n." + stale.getString("s"), -1))).getModifiedCount() == 1;
    }

    /** The stored entries of a cell's runs, by position (for a repair to compare). */
    Map<Integer, Document> entries(String cellId, int size) {
        Map<Integer, Document> out = new TreeMap<>();
        for (int p = 0; p < pages(size); p++) {
            Document page = coll().find(Filters.eq("_id", cellId + "#" + p)).first();
            Document e = page == null ? null : page.get("e", Document.class);
            if (e != null) {
                e.forEach((pos, entry) -> out.put(Integer.parseInt(pos), (Document) entry));
            }
        }
        return out;
    }

    /**
     * Makes the entries of one page what {@code wanted} says (null: no entry): reads them, and
     * writes only what differs, on the condition that they are still as read, with the counts.
     *
     * @return how many entries changed
     */
    private int apply(String cellId, String experiment, int page, Map<Integer, Document> wanted) {
        String id = cellId + "#" + page;
        for (int attempt = 0; ; attempt++) {
            Document stored = coll().find(Filters.eq("_id", id))
                    .projection(Projections.include(wanted.keySet().stream().map(p -> "e." + p).toList())).first();
            Document entries = stored == null || stored.get("e") == null ? new Document() : stored.get("e", Document.class);
            List<Bson> filter = new ArrayList<>(List.of(Filters.eq("_id", id)));
            List<Bson> changes = new ArrayList<>();
            Map<String, Integer> counts = new TreeMap<>();
            wanted.forEach((pos, entry) -> {
                Document old = entries.get(Integer.toString(pos), Document.class);
                if (Objects.equals(old, entry)) {
                    return;
                }
                String path = "e." + pos;
                filter.add(old == null ? Filters.exists(path, false) : Filters.eq(path, old));
                changes.add(entry == null ? Updates.unset(path) : Updates.set(path, entry));
                if (old != null) {
                    counts.merge(old.getString("s"), -1, Integer::sum);
                }
                if (entry != null) {
                    counts.merge(entry.getString("s"), 1, Integer::sum);
                }
            });
            if (changes.isEmpty()) {
                return 0;
            }
            int changed = changes.size();
            counts.forEach((status, by) -> {
                if (by != 0) {
                    changes.add(Updates.inc("n." + status, by));
                }
            });
            Document written = new Document();
            wanted.forEach((pos, entry) -> {
                if (entry != null) {
                    written.put(Integer.toString(pos), entry);
                }
            });
            Long last = latestEnd(written);
            if (last != null) {
                changes.add(Updates.max("last", last)); // the page's latest end: when its cell was last active
            }
            changes.add(Updates.setOnInsert("experiment", experiment));
            changes.add(Updates.setOnInsert("cell", cellId));
            changes.add(Updates.setOnInsert("page", page));
            try {
                // Upserted only when the page was not there: then the filter cannot match, and a page
                // created meanwhile is a duplicate key.
                UpdateResult u = coll().updateOne(Filters.and(filter), Updates.combine(changes), new UpdateOptions().upsert(stored == null));
                if (u.getMatchedCount() > 0 || u.getUpsertedId() != null) {
                    return changed;
                }
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e; // else: the page was created a moment ago by another writer; read it again
                }
            }
            if (attempt > 1000) {
                throw new IllegalStateException("results page " + id + " keeps changing");
            }
        }
    }

    /** A run's entry: null unless it is finished. Its end time makes two ends of the same run tell apart. */
    static Document entry(Document run) {
        String status = run.getString("status");
        if (!RunStatus.isFinished(status)) {
            return null;
        }
        Document summary = run.get("summary", Document.class);
        Document objective = summary == null ? null : summary.get("objective", Document.class);
        Document entry = new Document("t", run.getInteger("trial")).append("r", run.getInteger("replicate")).append("s", status);
        if (objective != null && objective.get("best") != null && !Boolean.TRUE.equals(run.getBoolean("noObjective"))) {
            entry.append("b", objective.getDouble("best"));
        }
        if (objective != null && objective.get("last") != null) {
            entry.append("l", objective.getDouble("last"));
        }
        if (RunStatus.PRUNED.equals(status) && summary != null && summary.get("lastEpoch") instanceof Number epochs) {
            entry.append("ep", epochs.longValue()); // how far it got: adaptive search ranks pruned trials by it
        }
        if (run.getDate("claimedAt") != null && run.getDate("endedAt") != null) {
            entry.append("d", run.getDate("endedAt").getTime() - run.getDate("claimedAt").getTime());
        }
        if (run.getDate("endedAt") != null) {
            entry.append("at", run.getDate("endedAt").getTime());
        }
        return entry;
    }

    /**
     * A run's recorded outcome, back out of a results page.
     *
     * @param pos    the run's place in its cell's queue (its id is the cell's id + "/" + pos)
     * @param millis how long its last attempt took, or null
     */
    public record Outcome(int pos, int trial, int replicate, String status, Double best, Double last, Long millis) {
    }

    /** The latest end ("at", ms) among a page's entries (position to entry); null when none has one. */
    static Long latestEnd(Document entries) {
        Long last = null;
        if (entries != null) {
            for (Object v : entries.values()) {
                if (v instanceof Document e && e.get("at") instanceof Number at) {
                    last = last == null ? at.longValue() : Math.max(last, at.longValue());
                }
            }
        }
        return last;
    }

    /**
     * Finished runs by status, summed over pages; {@code failed} counts every kind of failure
     * ({@link RunStatus#FAILURES}); {@code pruned} the runs early stopping ended, finished like the others.
     *
     * @param lastEnd the latest end of a run of these cells (ms), 0 when none has ended
     */
    public record Counts(long completed, long failed, long cancelled, long pruned, long lastEnd) {
        public long finished() {
            return completed + failed + cancelled + pruned;
        }
    }

    /** The page ids of cells of these sizes (cell id to number of queue positions). */
    private static List<String> pageIds(Map<String, Integer> cellSizes) {
        List<String> ids = new ArrayList<>();
        cellSizes.forEach((cell, size) -> {
            for (int p = 0; p < pages(size); p++) {
                ids.add(cell + "#" + p);
            }
        });
        return ids;
    }

    /** The finished runs of these cells, counted from the pages' counts (the entries are not read). */
    public Counts counts(Map<String, Integer> cellSizes) {
        long completed = 0;
        long failed = 0;
        long cancelled = 0;
        long pruned = 0;
        long lastEnd = 0;
        List<String> ids = pageIds(cellSizes);
        for (int from = 0; from < ids.size(); from += PAGE) {
            for (Document d : coll().find(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + PAGE))))
                    .projection(Projections.include("n", "last"))) {
                if (d.get("last") instanceof Number last) {
                    lastEnd = Math.max(lastEnd, last.longValue());
                }
                Document c = d.get("n", Document.class);
                if (c == null) {
                    continue;
                }
                completed += count(c, RunStatus.COMPLETED);
                cancelled += count(c, RunStatus.CANCELLED);
                pruned += count(c, RunStatus.PRUNED);
                for (String kind : RunStatus.FAILURES) {
                    failed += count(c, kind);
                }
            }
        }
        return new Counts(completed, failed, cancelled, pruned, lastEnd);
    }

    private static long count(Document counts, String status) {
        return counts.get(status) instanceof Number n ? n.longValue() : 0;
    }

    /** Every recorded outcome of these cells (cell id to size), by cell id, in queue order. */
    public Map<String, List<Outcome>> of(Map<String, Integer> cellSizes) {
        Map<String, List<Outcome>> out = new LinkedHashMap<>();
        cellSizes.keySet().forEach(id -> out.put(id, new ArrayList<>()));
        List<String> ids = pageIds(cellSizes);
        // Read raw and decode only what is needed: at 100,000 runs these are 100,000 small entries, and
        // building a Document (a LinkedHashMap) for each one was most of a report's time.
        for (int from = 0; from < ids.size(); from += PAGES_PER_READ) {
            for (RawBsonDocument d : coll().withDocumentClass(RawBsonDocument.class)
                    .find(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + PAGES_PER_READ)))).batchSize(20)) {
                List<Outcome> list = out.get(d.getString("cell").getValue());
                if (list == null) {
                    continue;
                }
                try (BsonBinaryReader r = new BsonBinaryReader(d.getByteBuffer().asNIO())) {
                    r.readStartDocument();
                    while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
                        if (r.readName().equals("e") && r.getCurrentBsonType() == BsonType.DOCUMENT) {
                            readEntries(r, list);
                        } else {
                            r.skipValue();
                        }
                    }
                }
            }
        }
        out.values().forEach(list -> list.sort(Comparator.comparingInt(Outcome::pos))); // stored in the order runs ended
        return out;
    }

    /** The entries of an {@code e} sub-document: {"POS": {t, r, s, b?, l?, d?, at?}, ...}. */
    private static void readEntries(BsonBinaryReader r, List<Outcome> list) {
        r.readStartDocument();
        while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
            int pos = Integer.parseInt(r.readName());
            int trial = 0;
            int replicate = 0;
            String status = null;
            Double best = null;
            Double last = null;
            Long millis = null;
            r.readStartDocument();
            while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
                switch (r.readName()) {
                    case "t" -> trial = (int) number(r);
                    case "r" -> replicate = (int) number(r);
                    case "s" -> status = r.readString();
                    case "b" -> best = number(r);
                    case "l" -> last = number(r);
                    case "d" -> millis = (long) number(r);
                    default -> r.skipValue();
                }
            }
            r.readEndDocument();
            list.add(new Outcome(pos, trial, replicate, status, best, last, millis));
        }
        r.readEndDocument();
    }

    private static double number(BsonBinaryReader r) {
        return switch (r.getCurrentBsonType()) {
            case INT32 -> r.readInt32();
            case INT64 -> r.readInt64();
            case DOUBLE -> r.readDouble();
            default -> {
                r.skipValue();
                yield Double.NaN;
            }
        };
    }
}
