package tracker.store;

import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * The writes a worker makes about its run - heartbeat, end - each fenced by the claim's token: a
 * single conditional update that matches only while the run is still this worker's, so a stale
 * worker (its lease expired, the run went to another) writes nothing and learns who has it now.
 */
public final class RunWrites {
    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

    public enum End { completed, failed, cancelled, preempted }

    private final Experiments experiments;
    private final MongoCollection<Document> runs;
    private final MongoCollection<Document> cells;
    private final Results results;

    public RunWrites(Database db) {
        this.results = new Results(db);
        this.experiments = new Experiments(db);
        this.runs = db.mongo().getCollection("runs").withWriteConcern(WriteConcern.MAJORITY);
        this.cells = new Cells(db).collection();
    }

    /** Renews the lease; returns the run as it is now. Exit 6 (nothing written) when the token is stale. */
    public Document heartbeat(String runId, String token) {
        return renew(runId, token, new Date(), List.of());
    }

    /** Renews the lease together with {@code also}, fenced; exit 6 (nothing written) when the token is stale. */
    private Document renew(String runId, String token, Date now, List<Bson> also) {
        Document current = runs.find(Filters.eq("_id", runId)).first();
        long leaseMillis = current == null || current.get("leaseMillis") == null ? 0 : current.get("leaseMillis", Number.class).longValue();
        List<Bson> updates = new java.util.ArrayList<>(also);
        updates.add(Updates.set("heartbeatAt", now));
        updates.add(Updates.set("leaseUntil", new Date(now.getTime() + leaseMillis)));
        Document run = runs.findOneAndUpdate(fenced(runId, token), Updates.combine(updates), AFTER);
        if (run == null) {
            throw stale(runId, token);
        }
        return run; // the cell's copy of the deadline is refreshed lazily, by the next claim that finds it past
    }

    /**
     * Ends the run. Ending again with the same status is a no-op; a different end of an ended run
     * is a conflict (exit 8); a stale token is exit 6.
     *
     * @return the run as it is now, and whether this call changed it
     */
    public Ended end(String runId, String token, End how, Integer exitCode, String message) {
        return end(runId, token, how, exitCode, message, null);
    }

    /**
     * The same, with what the run's command printed last ({@code tracker run} keeps it bounded:
     * {@code {tail, lines, chars, truncated}}).
     */
    public Ended end(String runId, String token, End how, Integer exitCode, String message, Document output) {
        Date now = new Date();
        Document current = runs.find(Filters.eq("_id", runId)).first();
        if (current == null) {
            throw new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'", "take the run id from 'tracker next'");
        }
        String status = how == End.preempted ? "pending" : how.name();
        Document attempt = Runs.attemptEnded(current, how.name(), now);
        if (exitCode != null) {
            attempt.append("exitCode", exitCode);
        }
        if (message != null) {
            attempt.append("message", message);
        }
        List<Bson> updates = new java.util.ArrayList<>(List.of(
                Updates.set("status", status),
                Updates.unset("token"),
                Updates.unset("leaseUntil"),
                Updates.set("lastEnd", new Document("how", how.name()).append("token", token).append("at", now)),
                Updates.pushEach("history", List.of(attempt), new PushOptions().slice(-100))));
        if (output != null) {
            updates.add(Updates.set("output", output));
        }
        if (how != End.preempted) {
            updates.add(Updates.set("endedAt", now));
            updates.add(exitCode == null ? Updates.unset("exitCode") : Updates.set("exitCode", exitCode));
            updates.add(message == null ? Updates.unset("message") : Updates.set("message", message));
        }
        Document run = runs.findOneAndUpdate(fenced(runId, token), Updates.combine(updates), AFTER);
        if (run == null) {
            Document now2 = runs.find(Filters.eq("_id", runId)).first();
            Document last = now2 == null ? null : now2.get("lastEnd", Document.class);
            if (last != null && token.equals(last.getString("token"))) {
                if (last.getString("how").equals(how.name())) {
                    if (how != End.preempted && how.name().equals(now2.getString("status"))) {
                        // The same end again - often a retry after the first reply was lost. The run's own
                        // update is the commit point; what follows it is idempotent, so finish it again in
                        // case the first call died in between (the report would miss the run otherwise).
                        cells.updateOne(Filters.eq("_id", now2.getString("cell")), Updates.unset("running." + now2.getInteger("pos")));
                        results.record(now2);
                    }
                    return new Ended(now2, false);
                }
                throw new TrackerException(ExitCode.CONFLICT, "run " + runId + " already ended as " + last.getString("how")
                        + "; it cannot also end as " + how, "an ended run stays as it ended; 'tracker requeue' runs it again");
            }
            throw stale(runId, token);
        }
        if (how == End.completed) {
            Document summary = run.get("summary", Document.class);
            if (summary == null || summary.get("objective", Document.class) == null
                    || summary.get("objective", Document.class).get("best") == null) {
                // Completed, but nothing to rank it by: say so, so reports never rank it as if it had a value.
                runs.updateOne(Filters.eq("_id", runId), Updates.set("noObjective", true));
                run.put("noObjective", true);
            }
        }
        String cellId = run.getString("cell");
        int pos = run.getInteger("pos");
        if (how == End.preempted) {
            // Back to the queue, at the front: resumed first, with its checkpoint.
            cells.updateOne(Filters.eq("_id", cellId), Updates.combine(Updates.unset("running." + pos), Updates.push("resume", pos)));
            // pending and running are counted from the cells: no count changes
        } else {
            cells.updateOne(Filters.eq("_id", cellId), Updates.unset("running." + pos));
            experiments.finished(run.getString("experiment"), status, 1);
            results.record(run);
        }
        return new Ended(run, true);
    }

    /**
     * Records that the run's command started (by {@code tracker run}): its argument vector, process
     * id and start time, and renews the lease. Exit 6 when the token is stale.
     */
    public void started(String runId, String token, List<String> argv, long pid) {
        Date now = new Date();
        renew(runId, token, now, List.of(Updates.set("startedAt", now), Updates.set("commandLine", argv), Updates.set("commandPid", pid)));
    }

    public record Ended(Document run, boolean changed) {
    }

    private static Bson fenced(String runId, String token) {
        return Filters.and(Filters.eq("_id", runId), Filters.eq("token", token), Filters.eq("status", "running"));
    }

    /** Exit 6, naming who holds the run now (or how it ended). */
    TrackerException stale(String runId, String token) {
        Document run = runs.find(Filters.eq("_id", runId)).first();
        if (run == null) {
            return new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'", "take the run id from 'tracker next'");
        }
        String now = "running".equals(run.getString("status"))
                ? "it is attempt " + run.getInteger("attempt") + " of worker " + run.getString("worker") + " now"
                : "it is " + run.getString("status") + " now";
        return new TrackerException(ExitCode.LEASE_LOST, "lease lost on run " + runId + ": " + now + "; nothing was written",
                "stop working on it and claim another with 'tracker next'");
    }
}
