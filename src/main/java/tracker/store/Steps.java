package tracker.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import tracker.protocol.MetricValues;

/**
 * The {@code steps} collection: metric values logged by step (a batch, a number of tokens - an
 * integer within or instead of the epoch), one document per (run, step), laid out as
 * {@link Epochs} lays out the epochs - the values under {@code v}, ids that put a run's steps in
 * one range of the {@code _id} index, in step order:
 *
 * <pre>
 * {_id: "exp@1/mlp/iris/a3#d1500", run: "exp@1/mlp/iris/3", experiment, step: 1500, epoch: 2, at, v: {train: {loss: 2.1}}}
 * </pre>
 *
 * A separate collection rather than more documents in {@code metrics}, so that every reader of
 * epochs (reports, {@code export --epochs}, summaries) stays as it was and a run logged by a million
 * steps costs the epoch readers nothing. Writes are upserts field by field, like epochs: a step
 * logged again keeps one document, with the later values; {@code epoch} is the one the latest line
 * of the step named.
 */
public final class Steps {
    private final Database db;

    public Steps(Database db) {
        this.db = db;
    }

    private MongoCollection<Document> coll() {
        return db.collections().steps();
    }

    /** One stored step of a run. */
    public record Step(long step, Long epoch, Instant at, Map<String, Map<String, Double>> values) {
        public Double value(String phase, String metric) {
            Map<String, Double> p = values.get(phase);
            return p == null ? null : p.get(metric);
        }

        /** The step as the summary folds it: the step in place of the epoch. */
        Epochs.Epoch asPoint() {
            return new Epochs.Epoch(step, at, values);
        }
    }

    /** Upserts the step values of a batch. */
    void write(String runId, String experimentId, List<MetricValues> batch, Date at) {
        Map<Long, Long> epochOf = new HashMap<>();
        for (MetricValues mv : batch) {
            if (mv.epoch() != null) {
                epochOf.put(mv.step(), mv.epoch());
            }
        }
        List<WriteModel<Document>> models = new ArrayList<>();
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        Epochs.fieldsByPosition(batch).forEach((step, fields) -> {
            List<Bson> sets = new ArrayList<>();
            fields.forEach((path, v) -> sets.add(Updates.set(path, v)));
            sets.add(Updates.set("at", at));
            if (epochOf.containsKey(step)) {
                sets.add(Updates.set("epoch", epochOf.get(step)));
            }
            sets.add(Updates.setOnInsert("run", runId));
            sets.add(Updates.setOnInsert("experiment", experimentId));
            sets.add(Updates.setOnInsert("step", step));
            models.add(new UpdateOneModel<>(Filters.eq("_id", Epochs.id(runId, step)), Updates.combine(sets), upsert));
        });
        if (!models.isEmpty()) {
            coll().bulkWrite(models, new BulkWriteOptions().ordered(false));
        }
    }

    /** Every step of a run, in order (one range of the id index). */
    public List<Step> of(String runId) {
        String p = Epochs.prefix(runId);
        List<Step> out = new ArrayList<>();
        for (Document d : Epochs.range(coll(), p, Epochs.after(p))) {
            out.add(step(d));
        }
        return out;
    }

    /** The steps of the runs at positions {@code from} to {@code to - 1} of a cell, run by run, step by step. */
    public void ofPositions(String cellId, int from, int to, BiConsumer<String, Step> each) {
        for (Document d : Epochs.range(coll(), Epochs.prefix(cellId, from), Epochs.prefix(cellId, to))) {
            each.accept(d.getString("run"), step(d));
        }
    }

    private static Step step(Document d) {
        Date at = d.getDate("at");
        Number epoch = d.get("epoch", Number.class);
        return new Step(d.get("step", Number.class).longValue(), epoch == null ? null : epoch.longValue(),
                at == null ? null : at.toInstant(), Epochs.values(d));
    }
}
