package tracker.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import tracker.protocol.MetricValues;

/**
 * The {@code metrics} collection: one document per (run, epoch) - never one ever-growing document -
 * with the values under {@code v}, so that no phase or metric name can meet the document's own
 * fields:
 *
 * <pre>
 * {_id: "exp@1/mlp/iris/a3#b12", run: "exp@1/mlp/iris/3", experiment, epoch: 12, at, v: {val: {acc: 0.91}}}
 * </pre>
 *
 * The id is the cell, the run's queue position and the epoch, each number written so that text
 * order is numeric order ({@link #key}). A run's epochs are then one range of the {@code _id} index
 * (no other index needed, on any server), and so are the epochs of a block of queue positions: an
 * export reads them in a defined order, cell by cell, run by run, epoch by epoch.
 */
public final class Epochs {
    private final Database db;

    public Epochs(Database db) {
        this.db = db;
    }

    private MongoCollection<Document> coll() {
        return db.collections().metrics();
    }

    /** One stored epoch of a run: its values by phase and metric. */
    public record Epoch(long epoch, Instant at, Map<String, Map<String, Double>> values) {
        public Double value(String phase, String metric) {
            Map<String, Double> p = values.get(phase);
            return p == null ? null : p.get(metric);
        }
    }

    /**
     * A non-negative number as text whose order is its numeric order: the count of its digits as a
     * letter, then the digits ({@code 5 -> "a5"}, {@code 12 -> "b12"}, {@code 100 -> "c100"}).
     */
    static String key(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("not a queue position or epoch: " + n);
        }
        String digits = Long.toString(n);
        return (char) ('a' + digits.length() - 1) + digits;
    }

    /** What every metric id of the run at {@code pos} of a cell starts with. */
    static String prefix(String cellId, int pos) {
        return cellId + "/" + key(pos) + "#";
    }

    static String prefix(String runId) {
        int slash = runId.lastIndexOf('/');
        return prefix(runId.substring(0, slash), Integer.parseInt(runId.substring(slash + 1)));
    }

    static String id(String runId, long epoch) {
        return prefix(runId) + key(epoch);
    }

    /** Ids from {@code from} up to (not including) {@code to}, in id order. */
    private Iterable<Document> range(String from, String to) {
        return range(coll(), from, to);
    }

    static Iterable<Document> range(MongoCollection<Document> coll, String from, String to) {
        return coll.find(Filters.and(Filters.gte("_id", from), Filters.lt("_id", to))).sort(Sorts.ascending("_id")).batchSize(1000);
    }

    /** Upserts the values of a batch (per-epoch values only), field by field: an epoch logged again overwrites, never duplicates. */
    void write(String runId, String experimentId, List<MetricValues> batch, Date at) {
        Map<Long, Map<String, Double>> byEpoch = fieldsByPosition(batch);
        List<WriteModel<Document>> models = new ArrayList<>();
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        byEpoch.forEach((epoch, fields) -> {
            List<Bson> sets = new ArrayList<>();
            fields.forEach((path, v) -> sets.add(Updates.set(path, v)));
            sets.add(Updates.set("at", at));
            sets.add(Updates.setOnInsert("run", runId));
            sets.add(Updates.setOnInsert("experiment", experimentId));
            sets.add(Updates.setOnInsert("epoch", epoch));
            models.add(new UpdateOneModel<>(Filters.eq("_id", id(runId, epoch)), Updates.combine(sets), upsert));
        });
        if (!models.isEmpty()) {
            coll().bulkWrite(models, new BulkWriteOptions().ordered(false));
        }
    }

    /**
     * The {@code v.PHASE.METRIC} fields to set per epoch or step of a batch, in order; a value
     * logged twice in one batch is one field: the later line wins.
     */
    static Map<Long, Map<String, Double>> fieldsByPosition(List<MetricValues> batch) {
        Map<Long, Map<String, Double>> byPosition = new TreeMap<>();
        for (MetricValues ev : batch) {
            Map<String, Double> fields = byPosition.computeIfAbsent(ev.position(), e -> new LinkedHashMap<>());
            ev.phases().forEach((phase, values) -> values.forEach((metric, v) -> fields.put("v." + phase + "." + metric, v)));
        }
        return byPosition;
    }

    /** Every epoch of a run, in order (one range of the id index). */
    public List<Epoch> of(String runId) {
        String p = prefix(runId);
        List<Epoch> out = new ArrayList<>();
        for (Document d : range(p, after(p))) {
            out.add(epoch(d));
        }
        return out;
    }

    /**
     * The epochs of the runs at positions {@code from} to {@code to - 1} of a cell, run by run in
     * queue order, each run's in epoch order, with the run's id.
     */
    public void ofPositions(String cellId, int from, int to, BiConsumer<String, Epoch> each) {
        for (Document d : range(prefix(cellId, from), prefix(cellId, to))) {
            each.accept(d.getString("run"), epoch(d));
        }
    }

    /**
     * One stored epoch of each of these runs (run id to epoch), read by their ids in batches; a run
     * whose epoch is not stored is absent from the answer.
     */
    public Map<String, Epoch> at(Map<String, Long> epochByRun) {
        Map<String, String> runById = new HashMap<>();
        epochByRun.forEach((run, epoch) -> runById.put(id(run, epoch), run));
        Map<String, Epoch> out = new HashMap<>();
        List<String> ids = new ArrayList<>(runById.keySet());
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 1000));
            for (Document d : coll().find(Filters.in("_id", batch))) {
                out.put(runById.get(d.getString("_id")), epoch(d));
            }
        }
        return out;
    }

    /** The smallest text after every text that starts with {@code prefix} (which ends in '#'). */
    static String after(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) ('#' + 1);
    }

    static Epoch epoch(Document d) {
        Date at = d.getDate("at");
        return new Epoch(d.get("epoch", Number.class).longValue(), at == null ? null : at.toInstant(), values(d));
    }

    /** The {@code v} of a metric document: phase -> metric -> value. */
    static Map<String, Map<String, Double>> values(Document d) {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        Document v = d.get("v", Document.class);
        if (v != null) {
            v.forEach((phase, metrics) -> {
                Map<String, Double> m = new LinkedHashMap<>();
                ((Document) metrics).forEach((name, value) -> m.put(name, value instanceof Number n ? n.doubleValue() : null));
                values.put(phase, m);
            });
        }
        return values;
    }

    /** For callers that only want to look at each epoch once (a summary being rebuilt). */
    void forEach(String runId, Consumer<Epoch> each) {
        String p = prefix(runId);
        for (Document d : range(p, after(p))) {
            each.accept(epoch(d));
        }
    }
}
