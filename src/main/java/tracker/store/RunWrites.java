package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.RunStatus;
import tracker.TrackerException;

/**
 * The writes a worker makes about its run - heartbeat, end - each fenced by the claim's token: a
 * single conditional update that matches only while the run is still this worker's, so a stale
 * worker (its lease expired, the run went to another) writes nothing and learns who has it now.
 * How an end keeps the queue and the outcomes right if it is cut short is in {@link Cells}.
 */
public final class RunWrites {
    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

    /** How a run ends: every finished status ({@link RunStatus#FINISHED}), or preempted (back to the queue, resumed first). */
    public enum End { completed, failed, timeout, out_of_memory, node_fail, cancelled, pruned, preempted }

    private final Database db;
    private final Cells cells;
    private final Results results;

    public RunWrites(Database db) {
        this.db = db;
        this.cells = new Cells(db);
        this.results = new Results(db);
    }

    /** Renews the lease; returns the run as it is now. Exit 6 (nothing written) when the token is stale. */
    public Document heartbeat(String runId, String token) {
        return renew(runId, token, List.of());
    }

    /**
     * Records that the run's command started (by {@code tracker run}): its argument vector, process
     * id and start time, and renews the lease. Exit 6 when the token is stale.
     */
    public void started(String runId, String token, List<String> argv, long pid) {
        Date now = db.clock().now();
        renew(runId, token, List.of(Updates.set("startedAt", now), Updates.set("commandLine", argv), Updates.set("commandPid", pid)));
    }

    /** Renews the lease together with {@code also}, fenced; exit 6 (nothing written) when the token is stale. */
    private Document renew(String runId, String token, List<Bson> also) {
        new Lifecycle(db).requireWritableRun(runId);
        Document current = db.collections().runs().find(Filters.eq("_id", runId)).projection(new Document("leaseMillis", 1)).first();
        long leaseMillis = current == null || current.get("leaseMillis") == null ? 0 : current.get("leaseMillis", Number.class).longValue();
        Date now = db.clock().now();
        List<Bson> updates = new ArrayList<>(also);
        updates.add(Updates.set("heartbeatAt", now));
        updates.add(Updates.set("leaseUntil", new Date(now.getTime() + leaseMillis)));
        Document run = db.collections().runs().findOneAndUpdate(fenced(runId, token), Updates.combine(updates), AFTER);
        if (run == null) {
            throw stale(runId, token);
        }
        return run; // the cell's copy of the deadline is refreshed lazily, by the next claim that finds it past
    }

    /**
     * Ends the run. Ending again the same way finishes what the first call may have left undone
     * and changes nothing else; a different end of an ended run is a conflict (exit 8); a stale
     * token is exit 6.
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
    public Ended end(String runId, String token, End how, Integer exitCode, String message, Map<String, Object> output) {
        new Lifecycle(db).requireWritableRun(runId);
        Document current = db.collections().runs().find(Filters.eq("_id", runId)).first();
        if (current == null) {
            throw new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'", "take the run id from 'tracker next'");
        }
        if (!token.equals(current.getString("token")) || !"running".equals(current.getString("status"))) {
            return again(current, runId, token, how);
        }
        String cellId = current.getString("cell");
        int pos = current.getInteger("pos");
        if (how == End.preempted) {
            // Killed after the run goes back to pending, the next claim finds it through its entry at once.
            cells.dueNow(cellId, pos, token);
        }
        Date now = db.clock().now();
        Document run = db.collections().runs().findOneAndUpdate(fenced(runId, token),
                Updates.combine(updates(current, token, how, exitCode, message, output, now)), AFTER);
        if (run == null) {
            Document changed = db.collections().runs().find(Filters.eq("_id", runId)).first();
            return again(changed, runId, token, how);
        }
        settle(run, token, how);
        return new Ended(run, true);
    }

    private List<Bson> updates(Document current, String token, End how, Integer exitCode, String message, Map<String, Object> output,
                               Date now) {
        Document attempt = Runs.attemptEnded(current, how.name(), now);
        if (exitCode != null) {
            attempt.append("exitCode", exitCode);
        }
        if (message != null) {
            attempt.append("message", message);
        }
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.set("status", how == End.preempted ? "pending" : how.name()),
                Updates.unset("token"),
                Updates.unset("leaseUntil"),
                Updates.set("lastEnd", new Document("how", how.name()).append("token", token).append("at", now)),
                Runs.pushHistory(attempt)));
        if (output != null) {
            updates.add(Updates.set("output", new Document(output)));
        }
        Document summary = current.get("summary", Document.class);
        if (current.get("logging") != null) {
            // A batch of log did not finish (killed after its metrics, perhaps): the summary is rebuilt
            // from the stored epochs, here, in the run's own commit.
            Map<String, Object> rebuilt = new Metrics(db).rebuilt(current.getString("_id"), current.getString("experiment"));
            updates.addAll(Metrics.summaryUpdates(rebuilt, Metrics.version(current)));
            updates.add(Updates.unset("logging"));
            summary = new Document(rebuilt);
        }
        if (how != End.preempted) {
            updates.add(Updates.set("endedAt", now));
            updates.add(exitCode == null ? Updates.unset("exitCode") : Updates.set("exitCode", exitCode));
            updates.add(message == null ? Updates.unset("message") : Updates.set("message", message));
        }
        if (how == End.completed) {
            // Completed, but nothing to rank it by: say so, so reports never rank it as if it had a value.
            Document objective = summary == null ? null : summary.get("objective", Document.class);
            updates.add(Updates.set("noObjective", objective == null || objective.get("best") == null));
        }
        return updates;
    }

    /** After the run's commit: its queue entry and its outcome. Idempotent, so a repeated end can finish it. */
    private void settle(Document run, String token, End how) {
        String cellId = run.getString("cell");
        int pos = run.getInteger("pos");
        if (how == End.preempted) {
            cells.toResume(cellId, pos, token); // resumed first, with its checkpoint
        } else {
            results.mirror(run);
            cells.release(cellId, pos, token);
        }
    }

    /**
     * The run is no longer this token's running run. Ended by this token the same way before: the
     * same end again (often a retry after a lost reply, or a worker killed half-way), which
     * finishes what the first call may have left undone. Otherwise a conflict or a stale token.
     */
    private Ended again(Document run, String runId, String token, End how) {
        Document last = run == null ? null : run.get("lastEnd", Document.class);
        if (last != null && token.equals(last.getString("token"))) {
            boolean stillSo = how == End.preempted ? "pending".equals(run.getString("status")) : how.name().equals(run.getString("status"));
            if (last.getString("how").equals(how.name())) {
                if (stillSo) {
                    settle(run, token, how);
                }
                return new Ended(run, false);
            }
            if (last.getString("how").equals(End.pruned.name())) {
                // Early stopping ended it under this very token while its worker trained on: the
                // worker's own end (completed, failed when the stop killed the command, preempted)
                // is no conflict - the run stays pruned.
                if (RunStatus.PRUNED.equals(run.getString("status"))) {
                    settle(run, token, End.pruned);
                }
                return new Ended(run, false);
            }
            throw new TrackerException(ExitCode.CONFLICT, "run " + runId + " already ended as " + last.getString("how")
                    + "; it cannot also end as " + how, "an ended run stays as it ended; 'tracker requeue' runs it again");
        }
        throw stale(runId, token);
    }

    public record Ended(Document run, boolean changed) {
    }

    static Bson fenced(String runId, String token) {
        return Filters.and(Filters.eq("_id", runId), Filters.eq("token", token), Filters.eq("status", "running"));
    }

    /** Exit 6, naming who holds the run now (or how it ended). */
    TrackerException stale(String runId, String token) {
        Document run = db.collections().runs().find(Filters.eq("_id", runId)).first();
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
