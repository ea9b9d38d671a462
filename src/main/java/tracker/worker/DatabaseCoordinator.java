package tracker.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.plan.EarlyStopper;
import tracker.protocol.TrainerLine;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Metrics;
import tracker.store.RunWrites;
import tracker.store.StoreErrors;

/**
 * A worker's runs in the database itself: claims, metric batches and fenced writes through the
 * store. The store's helpers are not thread-safe ({@link Metrics} caches objectives in a plain
 * map), and a worker's slots are threads: each thread gets helpers of its own, as each slot had.
 */
public final class DatabaseCoordinator implements Coordinator {
    private final Database db;
    private final ThreadLocal<Helpers> helpers;

    private record Helpers(Experiments experiments, Claims claims, Metrics metrics, RunWrites writes) {
    }

    public DatabaseCoordinator(Database db) {
        this.db = db;
        this.helpers = ThreadLocal.withInitial(() -> new Helpers(new Experiments(db), new Claims(db), new Metrics(db), new RunWrites(db)));
    }

    @Override
    public String where() {
        return "MongoDB at " + db.hosts();
    }

    @Override
    public Optional<Counts> counts(String experimentId) {
        Experiments experiments = helpers.get().experiments();
        return experiments.byId(experimentId).map(experiments::live)
                .map(e -> new Counts(e.id(), e.total(), Map.copyOf(e.counts())));
    }

    @Override
    public ClaimOutcome claim(String experimentId, Claims.Filter filter, String worker, Duration lease, Map<String, Object> provenance) {
        ExperimentRecord exp = helpers.get().experiments().byId(experimentId)
                .orElseThrow(() -> new TrackerException(ExitCode.NOT_FOUND, "experiment " + experimentId + " is gone", null));
        return helpers.get().claims().next(exp, filter, worker, lease, new Document(provenance));
    }

    @Override
    public void started(String run, String token, List<String> argv, long pid) {
        helpers.get().writes().started(run, token, argv, pid);
    }

    @Override
    public EarlyStopper.Verdict log(String run, String token, List<TrainerLine> lines) {
        return helpers.get().metrics().write(run, token, lines);
    }

    @Override
    public void heartbeat(String run, String token) {
        helpers.get().writes().heartbeat(run, token);
    }

    @Override
    public void end(String run, String token, RunWrites.End how, Integer exitCode, String message, Map<String, Object> output) {
        helpers.get().writes().end(run, token, how, exitCode, message, output);
    }

    @Override
    public boolean isTransient(RuntimeException e) {
        return StoreErrors.isTransient(e);
    }

    @Override
    public String describe(RuntimeException e) {
        TrackerException t = StoreErrors.translate(e, db.hosts());
        return t != null ? t.getMessage() : e.getMessage();
    }

    @Override
    public void reconnect() {
        db.reconnect();
    }
}
