package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import tracker.metrics.EpochValues;
import java.util.SplittableRandom;

/**
 * For benchmarks: turns every planned run of an experiment into a finished one with N epochs of
 * metrics, as if workers had claimed, logged and ended them - the same run summary, metric
 * documents and per-cell results that log and end write (through their own code: Summary,
 * Results, Experiments), without the round trips of 100,000 claims. Lives in this package for
 * those package-private methods.
 */
public final class FinishedRuns {
    private FinishedRuns() {
    }

    /** @return the number of runs finished */
    public static long fill(Database db, String experimentId, int epochs, long seed) {
        ExperimentRecord exp = new Experiments(db).byId(experimentId).orElseThrow();
        MongoCollection<Document> runs = db.mongo().getCollection("runs");
        MongoCollection<Document> metrics = db.mongo().getCollection("metrics");
        Results results = new Results(db);
        Document objective = new Document(exp.objective());
        SplittableRandom rnd = new SplittableRandom(seed);
        long n = 0;
        List<WriteModel<Document>> runUpdates = new ArrayList<>();
        List<Document> metricDocs = new ArrayList<>();
        for (String cellId : exp.cellIds()) {
            List<Document> cellRuns = runs.find(Filters.eq("cell", cellId)).into(new ArrayList<>());
            for (Document run : cellRuns) {
                double skill = rnd.nextDouble();
                List<EpochValues> batch = new ArrayList<>();
                Date claimed = new Date(1_700_000_000_000L + n * 1000);
                for (int e = 1; e <= epochs; e++) {
                    Map<String, Map<String, Double>> phases = new LinkedHashMap<>();
                    double acc = skill * (1 - Math.exp(-e / 5.0));
                    phases.put("train", Map.of("loss", 1 / (1.0 + e), "acc", Math.min(1, acc + 0.05)));
                    phases.put("val", Map.of("loss", 1.2 / (1.0 + e), "acc", acc));
                    phases.put("test", Map.of("acc", acc - 0.01));
                    batch.add(new EpochValues(e, phases));
                    Document m = new Document("_id", run.getString("_id") + "#" + e).append("run", run.getString("_id"))
                            .append("experiment", experimentId).append("epoch", (long) e).append("at", claimed);
                    phases.forEach((p, values) -> values.forEach((k, v) -> m.append(p + "." + k, v)));
                    metricDocs.add(m);
                }
                Document summary = Summary.update(null, batch, objective);
                Date ended = new Date(claimed.getTime() + 30_000 + (long) (rnd.nextDouble() * 60_000));
                List<Bson> set = List.of(Updates.set("status", "completed"), Updates.set("summary", summary),
                        Updates.set("attempt", 1), Updates.set("claimedAt", claimed), Updates.set("endedAt", ended),
                        Updates.set("exitCode", 0));
                runUpdates.add(new UpdateOneModel<>(Filters.eq("_id", run.getString("_id")), Updates.combine(set)));
                run.append("status", "completed").append("summary", summary).append("claimedAt", claimed).append("endedAt", ended);
                n++;
                if (runUpdates.size() >= 1000) {
                    runs.bulkWrite(runUpdates);
                    runUpdates.clear();
                }
                if (metricDocs.size() >= 20_000) {
                    metrics.insertMany(metricDocs, new InsertManyOptions().ordered(false));
                    metricDocs.clear();
                }
            }
            if (!cellRuns.isEmpty()) {
                results.recordAll(cellId, cellRuns);
            }
            // every position handed out: nothing pending in the queue
            db.mongo().getCollection("cells").updateOne(Filters.eq("_id", cellId),
                    Updates.set("next", cellRuns.size()));
        }
        if (!runUpdates.isEmpty()) {
            runs.bulkWrite(runUpdates);
        }
        if (!metricDocs.isEmpty()) {
            metrics.insertMany(metricDocs, new InsertManyOptions().ordered(false));
        }
        new Experiments(db).finished(experimentId, "completed", n);
        return n;
    }
}
