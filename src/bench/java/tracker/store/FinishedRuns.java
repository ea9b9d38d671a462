package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import tracker.protocol.MetricValues;

/**
 * For benchmarks: turns planned runs of an experiment into finished ones with N epochs of metrics,
 * as if workers had claimed, logged and ended them - the same run summary, metric documents and
 * results pages that log and end write (through their own code: Summary, Epochs' key scheme,
 * Results), without the round trips of 100,000 claims. Lives in this package for those
 * package-private methods.
 */
public final class FinishedRuns {
    private static final int BATCH = 1000;

    private FinishedRuns() {
    }

    /** Finishes every planned run; @return how many */
    public static long fill(Database db, String experimentId, int epochs, long seed) {
        return fill(db, experimentId, epochs, seed, Integer.MAX_VALUE);
    }

    /**
     * Finishes the first {@code perCell} runs of each cell (the rest stay pending, for claims to
     * measure against a cell full of finished runs).
     *
     * @return the number of runs finished
     */
    public static long fill(Database db, String experimentId, int epochs, long seed, int perCell) {
        ExperimentRecord exp = new Experiments(db).byId(experimentId).orElseThrow();
        Results results = new Results(db);
        Summary.Objective objective = Summary.Objective.of(exp.objective());
        SplittableRandom rnd = new SplittableRandom(seed);
        long n = 0;
        for (Cells.Cell cell : new Cells(db).of(exp)) {
            int finish = Math.min(cell.size(), perCell);
            for (int from = 0; from < finish; from += BATCH) {
                List<Document> runs = runs(db, cell.id(), from, Math.min(finish, from + BATCH));
                List<WriteModel<Document>> updates = new ArrayList<>();
                List<Document> metricDocs = new ArrayList<>();
                for (Document run : runs) {
                    Date claimed = new Date(1_700_000_000_000L + n * 1000);
                    Document summary = finish(run, epochs, rnd.nextDouble(), objective, claimed, metricDocs);
                    Date ended = new Date(claimed.getTime() + 30_000 + (long) (rnd.nextDouble() * 60_000));
                    List<Bson> set = List.of(Updates.set("status", "completed"), Updates.set("summary", summary),
                            Updates.set("attempt", 1), Updates.set("claimedAt", claimed), Updates.set("endedAt", ended),
                            Updates.set("exitCode", 0), Updates.set("noObjective", summary.get("objective") == null));
                    updates.add(new UpdateOneModel<>(Filters.eq("_id", run.getString("_id")), Updates.combine(set)));
                    run.append("status", "completed").append("summary", summary).append("claimedAt", claimed).append("endedAt", ended)
                            .append("noObjective", summary.get("objective") == null);
                    n++;
                }
                db.collections().runs().bulkWrite(updates);
                if (!metricDocs.isEmpty()) {
                    db.collections().metrics().insertMany(metricDocs, new InsertManyOptions().ordered(false));
                }
                results.mirrorAll(cell.id(), runs);
            }
            // every finished position was handed out: nothing of them pending in the queue
            db.collections().cells().updateOne(Filters.eq("_id", cell.id()), Updates.max("next", finish));
        }
        return n;
    }

    private static List<Document> runs(Database db, String cellId, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int pos = from; pos < to; pos++) {
            ids.add(Runs.id(cellId, pos));
        }
        Map<String, Document> found = new HashMap<>();
        for (Document r : db.collections().runs().find(Filters.in("_id", ids))) {
            found.put(r.getString("_id"), r);
        }
        return ids.stream().map(found::get).filter(r -> r != null).toList();
    }

    /** The run's epochs as metric documents (added to {@code metricDocs}) and its summary. */
    private static Document finish(Document run, int epochs, double skill, Summary.Objective objective, Date at,
                                   List<Document> metricDocs) {
        List<MetricValues> batch = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            Map<String, Map<String, Double>> phases = new LinkedHashMap<>();
            double acc = skill * (1 - Math.exp(-e / 5.0));
            phases.put("train", Map.of("loss", 1 / (1.0 + e), "acc", Math.min(1, acc + 0.05)));
            phases.put("val", Map.of("loss", 1.2 / (1.0 + e), "acc", acc));
            phases.put("test", Map.of("acc", acc - 0.01));
            batch.add(MetricValues.ofEpoch(e, phases));
            Document values = new Document();
            phases.forEach((p, m) -> values.append(p, new Document(m)));
            metricDocs.add(new Document("_id", Epochs.id(run.getString("_id"), e)).append("run", run.getString("_id"))
                    .append("experiment", run.getString("experiment")).append("epoch", (long) e).append("at", at).append("v", values));
        }
        Document summary = new Document("version", 1L);
        Map<String, Object> paths = Summary.add(null, batch, objective);
        paths.forEach((path, value) -> {
            Document into = summary;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                Document next = into.get(parts[i], Document.class);
                if (next == null) {
                    next = new Document();
                    into.put(parts[i], next);
                }
                into = next;
            }
            into.put(parts[parts.length - 1], value);
        });
        return summary;
    }
}
