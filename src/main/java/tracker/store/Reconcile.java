package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * Makes one watched queue position agree with its run - the repair <em>towards the run</em> that
 * keeps the invariants of {@link Cells} whatever process died after whatever write:
 * <ul>
 * <li>pending: handed out (when a worker asks), since no other path may reach it;</li>
 * <li>running on a live lease: the entry takes the run's token and deadline;</li>
 * <li>running on an expired lease: the next attempt goes to the worker that asks, or the run fails
 *     after its last attempt;</li>
 * <li>finished: its outcome is recorded and the entry dropped;</li>
 * <li>gone: the entry is dropped.</li>
 * </ul>
 * Entry changes are compare-and-sets on the token the caller read, so a reconciliation that lost a
 * race changes nothing.
 */
final class Reconcile {
    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

    private final Database db;
    private final Claims claims;
    private final Cells cells;
    private final Results results;

    /** @param claims how runs are taken; null for a reconciliation that hands out nothing (a repair) */
    Reconcile(Database db, Claims claims) {
        this.db = db;
        this.claims = claims;
        this.cells = new Cells(db);
        this.results = new Results(db);
    }

    /**
     * Reconciles position {@code pos} of a cell, watched by an entry with {@code entryToken}.
     *
     * @param req who asks for a run: gets a pending or expired one; null: nothing is handed out
     * @return the claim, when the run went to {@code req}
     */
    Claim settle(String cellId, int pos, String entryToken, Claims.Request req) {
        Document run = db.collections().runs().find(Filters.eq("_id", Runs.id(cellId, pos))).first();
        if (run == null) {
            cells.release(cellId, pos, entryToken);
            return null;
        }
        switch (run.getString("status")) {
            case "pending" -> {
                if (req == null || claims == null) {
                    return null; // the entry is due: the next claim hands it out
                }
                String token = Tokens.fresh();
                Claim claim = claims.take(req, cellId, pos, token);
                if (claim != null) {
                    cells.watch(cellId, pos, claims.entryFor(req, token));
                }
                return claim;
            }
            case "running" -> {
                long now = db.clock().millis();
                Date leaseUntil = run.getDate("leaseUntil");
                if (leaseUntil != null && leaseUntil.getTime() >= now) {
                    // Renewed by log or heartbeat, which do not touch the cell (one write less each): the
                    // entry takes the run's deadline, so it comes back only when the lease may be over.
                    cells.replace(cellId, pos, entryToken, new Cells.Entry(leaseUntil.getTime(), run.getString("token")));
                    return null;
                }
                return req == null || claims == null ? null : takeOver(req, cellId, pos, entryToken, run, now);
            }
            default -> {
                results.mirror(run);
                cells.release(cellId, pos, entryToken);
                return null;
            }
        }
    }

    /**
     * The run's lease ran out: the worker is gone or stuck. Its attempt ends as "expired" in the
     * history; the run goes to {@code req} with a new token, or fails when it has had all its attempts.
     */
    private Claim takeOver(Claims.Request req, String cellId, int pos, String entryToken, Document run, long now) {
        Date at = new Date(now);
        long leaseSeconds = run.get("leaseMillis", Number.class) == null ? 0 : run.get("leaseMillis", Number.class).longValue() / 1000;
        Document ended = Runs.attemptEnded(run, "expired", at).append("message", "lease expired: no log, heartbeat or end for "
                + leaseSeconds + "s");
        var expired = Filters.and(Filters.eq("_id", run.get("_id")), Filters.eq("token", run.getString("token")),
                Filters.eq("status", "running"), Filters.lt("leaseUntil", at));
        int attempts = run.getInteger("attempt", 0);
        if (attempts >= req.exp().maxAttempts()) {
            Document failed = db.collections().runs().findOneAndUpdate(expired,
                    Updates.combine(Updates.set("status", "failed"), Updates.set("endedAt", at), Updates.unset("token"),
                            Updates.set("message", (attempts == 1 ? "lease expired on its only attempt"
                                    : "lease expired on each of its " + attempts + " attempts") + " (runs.max_attempts)"),
                            Runs.pushHistory(ended)),
                    AFTER);
            if (failed != null) {
                results.mirror(failed);
                cells.release(cellId, pos, entryToken);
            }
            return null;
        }
        String token = Tokens.fresh();
        List<Bson> updates = new ArrayList<>(Claims.claimedBy(req, token, at));
        updates.add(Runs.pushHistory(ended));
        Document taken = db.collections().runs().findOneAndUpdate(expired, Updates.combine(updates), AFTER);
        if (taken == null) {
            return null;
        }
        cells.watch(cellId, pos, claims.entryFor(req, token));
        return Claims.claim(req.exp(), claims.withSetting(req.exp(), taken), token);
    }
}
