package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.metrics.EpochValues;

/**
 * {@code tracker log}: per-epoch metrics, one document per (run, epoch) in {@code metrics} - never
 * one ever-growing document - upserted field by field, so logging an epoch again (after a resume)
 * overwrites and never duplicates, and epochs may come in any order. The run keeps a small
 * summary (last, min and max of every metric, best and last of the objective) for fast reports.
 *
 * <p>Each batch first renews the lease under the claim's token (and updates the summary in the
 * same conditional write), then writes the metric documents: a stale worker writes nothing, and
 * the fresh lease keeps the run this worker's while the metrics go in.
 */
public final class Metrics {
    private final MongoCollection<Document> runs;
    private final MongoCollection<Document> metrics;
    private final Experiments experiments;
    private final RunWrites writes;
    private final Map<String, Document> objectives = new HashMap<>();

    public Metrics(Database db) {
        this.runs = db.mongo().getCollection("runs").withWriteConcern(WriteConcern.MAJORITY);
        this.metrics = db.mongo().getCollection("metrics");
        this.experiments = new Experiments(db);
        this.writes = new RunWrites(db);
    }

    /** What to attach to the run besides metric values. */
    public record Extras(Map<String, String> artifacts, String checkpoint, String note) {
        public static final Extras NONE = new Extras(Map.of(), null, null);
    }

    /** Writes one batch for the run; exit 6 (nothing written) when the token is stale. */
    public void write(String runId, String token, List<EpochValues> batch, Extras extras) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Document run = runs.find(Filters.eq("_id", runId)).first();
            if (run == null) {
                throw new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'", "take the run id from 'tracker next'");
            }
            if (!token.equals(run.getString("token")) || !"running".equals(run.getString("status"))) {
                throw writes.stale(runId, token);
            }
            Document objective = objectives.computeIfAbsent(run.getString("experiment"),
                    id -> new Document(experiments.byId(id).map(ExperimentRecord::objective).orElse(Map.of())));
            Document old = run.get("summary", Document.class);
            long version = old == null ? 0 : old.get("version", Number.class).longValue();
            Document summary = Summary.update(old, batch, objective);
            Date now = new Date();
            long leaseMillis = run.get("leaseMillis", Number.class).longValue();
            Date until = new Date(now.getTime() + leaseMillis);
            List<Bson> updates = new ArrayList<>(List.of(Updates.set("summary", summary), Updates.set("heartbeatAt", now),
                    Updates.set("leaseUntil", until)));
            extras.artifacts().forEach((k, v) -> updates.add(Updates.set("artifacts." + k, v)));
            if (extras.checkpoint() != null) {
                updates.add(Updates.set("checkpoint", extras.checkpoint()));
            }
            if (extras.note() != null) {
                updates.add(Updates.pushEach("notes", List.of(new Document("at", now).append("text", extras.note())),
                        new PushOptions().slice(-100)));
            }
            Bson fence = Filters.and(Filters.eq("_id", runId), Filters.eq("token", token), Filters.eq("status", "running"),
                    version == 0 ? Filters.exists("summary", false) : Filters.eq("summary.version", version));
            if (runs.updateOne(fence, Updates.combine(updates)).getModifiedCount() == 0) {
                continue; // the summary changed under us (a concurrent log of this worker), or the lease was lost: look again
            }
            writeValues(runId, run.getString("experiment"), batch);
            return;
        }
        throw new TrackerException(ExitCode.CONFLICT, "run " + runId + " kept changing while logging", "try again");
    }

    private void writeValues(String runId, String experimentId, List<EpochValues> batch) {
        Map<Long, Map<String, Object>> byEpoch = new TreeMap<>();
        for (EpochValues ev : batch) {
            Map<String, Object> fields = byEpoch.computeIfAbsent(ev.epoch(), e -> new LinkedHashMap<>());
            ev.phases().forEach((phase, values) -> values.forEach((metric, v) -> fields.put(phase + "." + metric, v)));
        }
        if (byEpoch.isEmpty()) {
            return;
        }
        Date now = new Date();
        List<WriteModel<Document>> models = new ArrayList<>();
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        byEpoch.forEach((epoch, fields) -> {
            List<Bson> sets = new ArrayList<>();
            fields.forEach((k, v) -> sets.add(Updates.set(k, v)));
            sets.add(Updates.set("at", now));
            sets.add(Updates.setOnInsert("run", runId));
            sets.add(Updates.setOnInsert("experiment", experimentId));
            sets.add(Updates.setOnInsert("epoch", epoch));
            models.add(new UpdateOneModel<>(Filters.eq("_id", runId + "#" + epoch), Updates.combine(sets), upsert));
        });
        metrics.bulkWrite(models, new BulkWriteOptions().ordered(false));
    }

    /** Every epoch of a run, in order. */
    public List<Document> epochs(String runId) {
        return metrics.find(Filters.eq("run", runId)).into(new ArrayList<>()).stream()
                .sorted(java.util.Comparator.comparingLong(d -> d.get("epoch", Number.class).longValue())).toList();
    }
}
