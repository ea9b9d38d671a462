package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.metrics.EpochValues;

/**
 * {@code tracker log}: per-epoch metrics ({@link Epochs}) and the run's summary of them
 * ({@link Summary}), in three writes:
 * <ol>
 * <li>a fenced update of the run marks a batch in progress ({@code logging}) - a stale worker is
 *     refused here and writes nothing;</li>
 * <li>the metric documents: <b>the commit point</b> of the values;</li>
 * <li>the summary, only the paths that change, with the lease renewal, the checkpoint, artifacts
 *     and notes, as a compare-and-set on the summary's version that also clears the mark.</li>
 * </ol>
 * The summary never gets ahead of the metrics. A batch killed after its metrics leaves its mark:
 * the next batch of the run, or its {@code end}, or a repair, then rebuilds the summary from the
 * stored epochs - as it does whenever an epoch comes that may replace a stored value.
 */
public final class Metrics {
    private static final FindOneAndUpdateOptions BEFORE = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE);
    private static final int MAX_TRIES = 50;

    private final Database db;
    private final Experiments experiments;
    private final Epochs epochs;
    private final RunWrites writes;
    private final Map<String, Summary.Objective> objectives = new HashMap<>();

    public Metrics(Database db) {
        this.db = db;
        this.experiments = new Experiments(db);
        this.epochs = new Epochs(db);
        this.writes = new RunWrites(db);
    }

    /** What to attach to the run besides metric values. */
    public record Extras(Map<String, String> artifacts, String checkpoint, String note) {
        public static final Extras NONE = new Extras(Map.of(), null, null);
    }

    /** Writes one batch for the run; exit 6 (nothing written) when the token is stale. */
    public void write(String runId, String token, List<EpochValues> batch, Extras extras) {
        String mark = Tokens.fresh();
        Date now = db.clock().now();
        Document run = db.collections().runs().findOneAndUpdate(RunWrites.fenced(runId, token),
                Updates.combine(Updates.set("logging", mark), Updates.set("heartbeatAt", now)), BEFORE);
        if (run == null) {
            throw writes.stale(runId, token);
        }
        // A mark already there: an earlier batch did not finish (killed after its metrics, perhaps).
        boolean rebuild = run.get("logging") != null;
        boolean ours = true; // the mark is ours until a re-read says another batch's replaced it
        if (!batch.isEmpty()) {
            epochs.write(runId, run.getString("experiment"), batch, now);
        }
        Summary.Objective objective = objective(run.getString("experiment"));
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            Map<String, Object> changed = rebuild ? null : Summary.add(run.get("summary", Document.class), batch, objective);
            if (changed == null) {
                changed = Summary.of(epochs.of(runId), objective);
            }
            long version = version(run);
            List<Bson> updates = summaryUpdates(changed, version);
            Date renewed = db.clock().now();
            updates.add(Updates.set("heartbeatAt", renewed));
            updates.add(Updates.set("leaseUntil", new Date(renewed.getTime() + run.get("leaseMillis", Number.class).longValue())));
            extras.artifacts().forEach((k, v) -> updates.add(Updates.set("artifacts." + k, v)));
            if (extras.checkpoint() != null) {
                updates.add(Updates.set("checkpoint", extras.checkpoint()));
            }
            if (extras.note() != null) {
                updates.add(Updates.pushEach("notes", List.of(new Document("at", renewed).append("text", extras.note())),
                        new PushOptions().slice(-Runs.HISTORY)));
            }
            List<Bson> filter = new ArrayList<>(List.of(RunWrites.fenced(runId, token), versionIs(version)));
            if (ours) {
                filter.add(Filters.eq("logging", mark));
                updates.add(Updates.unset("logging")); // a mark of another batch stays, for it to clear
            }
            if (db.collections().runs().updateOne(Filters.and(filter), Updates.combine(updates)).getModifiedCount() == 1) {
                return;
            }
            // The summary changed under us (another batch of this run), or the lease was lost: look again.
            run = db.collections().runs().find(Filters.eq("_id", runId)).first();
            if (run == null || !token.equals(run.getString("token")) || !"running".equals(run.getString("status"))) {
                throw writes.stale(runId, token);
            }
            rebuild = true;
            ours = mark.equals(run.getString("logging"));
        }
        throw new TrackerException(ExitCode.CONFLICT, "run " + runId + " kept changing while logging", "try again");
    }

    /** The objective of an experiment (cached: a worker logs many batches). */
    Summary.Objective objective(String experimentId) {
        return objectives.computeIfAbsent(experimentId,
                id -> Summary.Objective.of(experiments.byId(id).map(ExperimentRecord::objective).orElse(Map.of())));
    }

    /** The summary rebuilt from the run's stored epochs, as the paths to set. */
    Map<String, Object> rebuilt(String runId, String experimentId) {
        return Summary.of(epochs.of(runId), objective(experimentId));
    }

    static long version(Document run) {
        Document s = run.get("summary", Document.class);
        return s == null || s.get("version") == null ? 0 : s.get("version", Number.class).longValue();
    }

    static Bson versionIs(long version) {
        return version == 0 ? Filters.exists("summary.version", false) : Filters.eq("summary.version", version);
    }

    /** Sets (or unsets, for null) the given summary paths and moves the version on. */
    static List<Bson> summaryUpdates(Map<String, Object> paths, long version) {
        List<Bson> updates = new ArrayList<>();
        paths.forEach((path, value) -> updates.add(value == null ? Updates.unset("summary." + path) : Updates.set("summary." + path, value)));
        updates.add(Updates.set("summary.version", version + 1));
        return updates;
    }

    /** Every epoch of a run, in order. */
    public List<Epochs.Epoch> epochs(String runId) {
        return epochs.of(runId);
    }
}
