package tracker.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.protocol.TrainerLine;
import tracker.store.ClaimOutcome;
import tracker.store.Claims;
import tracker.store.Database;
import tracker.store.ExperimentRecord;
import tracker.store.Experiments;
import tracker.store.Metrics;
import tracker.store.RunWrites;
import tracker.store.StoreErrors;

/** A worker's runs in the database itself: claims, metric batches and fenced writes through the store. */
public final class DatabaseCoordinator implements Coordinator {
    private final Database db;
    private final Experiments experiments;
    private final Claims claims;
    private final Metrics metrics;
    private final RunWrites writes;

    public DatabaseCoordinator(Database db) {
        this.db = db;
        this.experiments = new Experiments(db);
        this.claims = new Claims(db);
        this.metrics = new Metrics(db);
        this.writes = new RunWrites(db);
    }

    @Override
    public String where() {
        return "MongoDB at " + db.hosts();
    }

    @Override
    public Optional<Counts> counts(String experimentId) {
        return experiments.byId(experimentId).map(experiments::live)
                .map(e -> new Counts(e.id(), e.total(), Map.copyOf(e.counts())));
    }

    @Override
    public ClaimOutcome claim(String experimentId, Claims.Filter filter, String worker, Duration lease, Map<String, Object> provenance) {
        ExperimentRecord exp = experiments.byId(experimentId)
                .orElseThrow(() -> new TrackerException(ExitCode.NOT_FOUND, "experiment " + experimentId + " is gone", null));
        return claims.next(exp, filter, worker, lease, new Document(provenance));
    }

    @Override
    public void started(String run, String token, List<String> argv, long pid) {
        writes.started(run, token, argv, pid);
    }

    @Override
    public void log(String run, String token, List<TrainerLine> lines) {
        metrics.write(run, token, lines);
    }

    @Override
    public void heartbeat(String run, String token) {
        writes.heartbeat(run, token);
    }

    @Override
    public void end(String run, String token, RunWrites.End how, Integer exitCode, String message, Map<String, Object> output) {
        writes.end(run, token, how, exitCode, message, output);
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
