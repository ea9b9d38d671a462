package tracker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.RunStatus;

/**
 * {@code tracker status --repair}: rebuilds every piece of derived state of an experiment from its
 * runs - queue entries, the {@code resume} lists, outcomes and their counts, summaries - and says
 * what it fixed. Claims, ends and reconciliations repair all of it on the way (see {@link Cells});
 * this is for when nobody is claiming, and for peace of mind. Idempotent, and safe while workers
 * are active: each fix is the same conditional write a worker's own repair would make, and runs
 * that are handed out are left to the claims.
 */
public final class Repair {
    private static final int BATCH = 1000;

    private final Database db;
    private final Cells cells;
    private final Results results;
    private final Reconcile reconcile;
    private final Metrics metrics;

    public Repair(Database db) {
        this.db = db;
        this.cells = new Cells(db);
        this.results = new Results(db);
        this.reconcile = new Reconcile(db, null);
        this.metrics = new Metrics(db);
    }

    /** What a repair fixed, by kind (empty: everything agreed with the runs). */
    public Map<String, Integer> run(ExperimentRecord exp) {
        Map<String, Integer> fixed = new LinkedHashMap<>();
        for (Cells.Cell cell : cells.of(exp)) {
            List<Document> runs = runsOf(cell);
            summaries(runs, fixed);
            queue(cell, runs, fixed);
            outcomes(cell, runs, fixed);
        }
        fixed.values().removeIf(n -> n == 0);
        return fixed;
    }

    /** The runs of a cell in queue order, read by id (the unique index serves it on every server). */
    private List<Document> runsOf(Cells.Cell cell) {
        List<Document> out = new ArrayList<>();
        for (int from = 0; from < cell.size(); from += BATCH) {
            List<String> ids = new ArrayList<>();
            for (int pos = from; pos < Math.min(cell.size(), from + BATCH); pos++) {
                ids.add(Runs.id(cell.id(), pos));
            }
            Map<String, Document> found = new HashMap<>();
            for (Document r : db.collections().runs().find(Filters.in("_id", ids))) {
                found.put(r.getString("_id"), r);
            }
            ids.stream().map(found::get).filter(r -> r != null).forEach(out::add);
        }
        return out;
    }

    /** Finished runs whose last batch of metrics never reached the summary: rebuilt from the stored epochs. */
    private void summaries(List<Document> runs, Map<String, Integer> fixed) {
        for (int i = 0; i < runs.size(); i++) {
            Document r = runs.get(i);
            if (r.get("logging") == null || !RunStatus.isFinished(r.getString("status"))) {
                continue; // a run in flight gets it from its next batch or its end
            }
            Map<String, Object> rebuilt = metrics.rebuilt(r.getString("_id"), r.getString("experiment"));
            List<org.bson.conversions.Bson> updates = Metrics.summaryUpdates(rebuilt, Metrics.version(r));
            updates.add(Updates.unset("logging"));
            Document now = db.collections().runs().findOneAndUpdate(Filters.and(Filters.eq("_id", r.get("_id")),
                    Filters.eq("status", r.getString("status")), Metrics.versionIs(Metrics.version(r))), Updates.combine(updates),
                    new com.mongodb.client.model.FindOneAndUpdateOptions().returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
            if (now != null) {
                runs.set(i, now);
                fixed.merge("summaries rebuilt from their epochs", 1, Integer::sum);
            }
        }
    }

    /** Pending runs no claim would reach, running runs whose lease nobody watches, due entries. */
    private void queue(Cells.Cell cell, List<Document> runs, Map<String, Integer> fixed) {
        long now = db.clock().millis();
        for (Document r : runs) {
            int pos = r.getInteger("pos");
            String status = r.getString("status");
            if ("pending".equals(status) && pos < cell.next() && !cell.resume().contains(pos) && !cell.running().containsKey(pos)
                    && cells.resumeIfUnwatched(cell.id(), pos)) {
                fixed.merge("pending runs no claim would reach, queued again", 1, Integer::sum);
            }
            if ("running".equals(status) && !cell.running().containsKey(pos) && r.getDate("leaseUntil") != null
                    && cells.watchIfUnwatched(cell.id(), pos, new Cells.Entry(r.getDate("leaseUntil").getTime(), r.getString("token")))) {
                fixed.merge("running runs whose lease nobody watched", 1, Integer::sum);
            }
        }
        for (Map.Entry<Integer, Cells.Entry> e : cell.running().entrySet()) {
            if (e.getValue().until() < now) {
                reconcile.settle(cell.id(), e.getKey(), e.getValue().token(), null);
            }
        }
    }

    /** Finished runs whose outcome is missing or wrong; outcomes of runs that are not finished. */
    private void outcomes(Cells.Cell cell, List<Document> runs, Map<String, Integer> fixed) {
        List<Document> finished = runs.stream().filter(r -> RunStatus.isFinished(r.getString("status"))).toList();
        fixed.merge("outcomes recorded or corrected", results.mirrorAll(cell.id(), finished), Integer::sum);
        Map<Integer, Document> entries = results.entries(cell.id(), cell.size());
        for (Document r : runs) {
            Document stale = entries.get(r.getInteger("pos"));
            if (stale == null || RunStatus.isFinished(r.getString("status"))) {
                continue;
            }
            // Read again just before: an end that came meanwhile wrote an entry of its own.
            Document now = db.collections().runs().find(Filters.eq("_id", r.get("_id"))).first();
            if (now != null && !RunStatus.isFinished(now.getString("status")) && results.forgetIf(cell.id(), r.getInteger("pos"), stale)) {
                fixed.merge("outcomes of runs that are not finished, removed", 1, Integer::sum);
            }
        }
    }
}
