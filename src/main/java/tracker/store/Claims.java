package tracker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * {@code tracker next}: hands one run to one worker, with single-document atomic operations only,
 * in three steps tried in order, for the cells of the highest priority first, then the next
 * priority's (see {@link Cells} for the invariants they keep and how boosted runs raise a cell):
 * <ol>
 * <li>{@link #resume}: runs to resume (preempted or requeued) first;</li>
 * <li>{@link #due}: positions whose entry is due - a lease that may have expired, or a change
 *     that a killed process left half done - each reconciled with its run, which may hand it out;</li>
 * <li>{@link #fresh}: the next queue position of the least advanced cell (by priority), so every
 *     cell gets its first trial before any cell its second.</li>
 * </ol>
 * A position is taken with a compare-and-set on its cell, and the run with a conditional update on
 * its status, so no run is ever handed out twice.
 */
public final class Claims {
    /**
     * A new claim's entry is due after this long at most (its lease if shorter): a worker killed
     * between taking the position and taking the run leaves a pending run that is handed out again
     * this soon, not only when a long lease would have run out. A live run's entry then takes its
     * lease's deadline.
     */
    public static final long CONFIRM_MILLIS = 60_000;

    /** Rounds of looking at the cells again (after a race or a skipped cancelled run) before answering "not now". */
    static final int MAX_ROUNDS = 200;

    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

    /** Which cells a worker serves; empty sets mean all. */
    public record Filter(Set<String> models, Set<String> datasets) {
        boolean accepts(Cells.Cell cell) {
            return (models.isEmpty() || models.contains(cell.model())) && (datasets.isEmpty() || datasets.contains(cell.dataset()));
        }
    }

    /** Who asks for a run, and for how long. */
    record Request(ExperimentRecord exp, String worker, long leaseMillis, Document provenance) {
    }

    private final Database db;
    private final Cells cells;
    private final Reconcile reconcile;
    private final AdaptiveTrials adaptive;

    public Claims(Database db) {
        this.db = db;
        this.cells = new Cells(db);
        this.reconcile = new Reconcile(db, this);
        this.adaptive = new AdaptiveTrials(db);
    }

    /**
     * @param lease      how long the claim lasts without renewal; null: the definition's
     * @param provenance who claims: host, user, pid, worker, cluster job, code version
     */
    public ClaimOutcome next(ExperimentRecord exp, Filter filter, String worker, Duration lease, Document provenance) {
        // Archived or being deleted: hand out nothing (one read by _id per claim).
        new Lifecycle(db).requireWritable(exp.id(), "claim a run");
        Request req = new Request(exp, worker, lease != null ? lease.toMillis() : exp.leaseMillis(), provenance);
        rounds:
        for (int round = 0; round < MAX_ROUNDS; round++) {
            for (List<Cells.Cell> tier : byPriority(inClaimOrder(exp, filter))) {
                Claim claim = resume(req, tier);
                if (claim == null) {
                    claim = due(req, tier);
                }
                if (claim == null) {
                    Fresh f = fresh(req, tier);
                    if (f.again()) {
                        continue rounds;
                    }
                    claim = f.claim;
                }
                if (claim != null) {
                    return new ClaimOutcome.Claimed(claim);
                }
            }
            ClaimOutcome none = nothing(inClaimOrder(exp, filter));
            if (none != null) {
                return none;
            }
            // Work appeared while we looked (a run preempted or requeued): look again.
        }
        return new ClaimOutcome.NothingNow(0, null);
    }

    /** The worker's cells, the least advanced first (ties in random order: workers starting together spread out). */
    private List<Cells.Cell> inClaimOrder(ExperimentRecord exp, Filter filter) {
        List<Cells.Cell> mine = new ArrayList<>();
        for (Cells.Cell c : cells.of(exp)) {
            if (filter.accepts(c)) {
                mine.add(c);
            }
        }
        Collections.shuffle(mine);
        mine.sort(Comparator.comparingInt((Cells.Cell c) -> -c.effectivePriority()).thenComparingInt(Cells.Cell::next));
        return mine;
    }

    /**
     * The cells in claim order, cut where the priority changes: each tier is served completely -
     * resumed, due and fresh runs - before the next, so a higher priority always goes first (also
     * before runs resumed in a lower one). With one priority, as most experiments have, it is one tier.
     */
    private static List<List<Cells.Cell>> byPriority(List<Cells.Cell> ordered) {
        List<List<Cells.Cell>> tiers = new ArrayList<>();
        for (Cells.Cell c : ordered) {
            if (tiers.isEmpty() || tiers.get(tiers.size() - 1).get(0).effectivePriority() != c.effectivePriority()) {
                tiers.add(new ArrayList<>());
            }
            tiers.get(tiers.size() - 1).add(c);
        }
        return tiers;
    }

    /** Step 1: the front of a cell's {@code resume} list, popped and watched in one update. */
    private Claim resume(Request req, List<Cells.Cell> mine) {
        for (Cells.Cell c : mine) {
            if (c.resume().isEmpty()) {
                continue;
            }
            int pos = c.resume().get(0);
            Cells.Entry entry = newEntry(req);
            if (!cells.takeResumed(c.id(), pos, entry)) {
                continue; // another worker took it first
            }
            Claim claim = take(req, c.id(), pos, entry.token());
            if (claim != null) {
                return claim;
            }
            // Not pending (cancelled meanwhile, or a leftover of an interrupted change): agree with the run.
            claim = reconcile.settle(c.id(), pos, entry.token(), req);
            if (claim != null) {
                return claim;
            }
        }
        return null;
    }

    /** Step 2: every due entry of the worker's cells, reconciled with its run. */
    private Claim due(Request req, List<Cells.Cell> mine) {
        long now = db.clock().millis();
        for (Cells.Cell c : mine) {
            for (Map.Entry<Integer, Cells.Entry> e : c.running().entrySet()) {
                if (e.getValue().until() >= now) {
                    continue;
                }
                Claim claim = reconcile.settle(c.id(), e.getKey(), e.getValue().token(), req);
                if (claim != null) {
                    return claim;
                }
            }
        }
        return null;
    }

    /** What the fresh step found: a claim, nothing fresh at all, or a reason to look at the cells again. */
    private record Fresh(Claim claim, boolean again) {
        static final Fresh NONE = new Fresh(null, false);
        static final Fresh AGAIN = new Fresh(null, true);
    }

    /** Step 3: the next position of the least advanced cell, taken with a compare-and-set on its {@code next}. */
    private Fresh fresh(Request req, List<Cells.Cell> mine) {
        boolean raced = false;
        for (Cells.Cell c : mine) {
            int k = c.next();
            if (k >= c.size()) {
                continue;
            }
            Cells.Entry entry = newEntry(req);
            if (!cells.takeFresh(c.id(), k, entry)) {
                raced = true; // another worker took that position: try the next cell
                continue;
            }
            Claim claim = take(req, c.id(), k, entry.token());
            if (claim == null) {
                // Cancelled before it was ever handed out: the position is spent (its outcome recorded
                // on the way); look again.
                claim = reconcile.settle(c.id(), k, entry.token(), req);
            }
            return claim != null ? new Fresh(claim, false) : Fresh.AGAIN;
        }
        return raced ? Fresh.AGAIN : Fresh.NONE;
    }

    /** "Nothing left" or "nothing now", from a fresh read of the cells; null when there is work after all. */
    private ClaimOutcome nothing(List<Cells.Cell> mine) {
        int inFlight = 0;
        long earliest = Long.MAX_VALUE;
        for (Cells.Cell c : mine) {
            if (c.claimable()) {
                return null;
            }
            for (Cells.Entry e : c.running().values()) {
                inFlight++;
                earliest = Math.min(earliest, e.until());
            }
        }
        if (inFlight == 0) {
            return new ClaimOutcome.NothingLeft();
        }
        // Deadlines are server time; the worker waits by its own clock.
        long local = earliest - db.clock().offsetMillis();
        return new ClaimOutcome.NothingNow(inFlight, Instant.ofEpochMilli(local));
    }

    private Cells.Entry newEntry(Request req) {
        return entryFor(req, Tokens.fresh());
    }

    /** The entry a claim watches its run with: due when the claim's confirm window ends. */
    Cells.Entry entryFor(Request req, String token) {
        return new Cells.Entry(db.clock().millis() + Math.min(req.leaseMillis(), CONFIRM_MILLIS), token);
    }

    /** Claims the run at {@code pos} of cell {@code cellId} if it is still pending; the caller watches it. */
    Claim take(Request req, String cellId, int pos, String token) {
        List<Bson> updates = new ArrayList<>(claimedBy(req, token, db.clock().now()));
        updates.add(Updates.set("status", "running"));
        Document run = db.collections().runs().findOneAndUpdate(
                Filters.and(Filters.eq("_id", Runs.id(cellId, pos)), Filters.eq("status", "pending")), Updates.combine(updates), AFTER);
        return run == null ? null : claim(req.exp(), withSetting(req.exp(), run), token);
    }

    /**
     * The run with its params: under adaptive search a trial's setting is chosen when one of its
     * runs is first claimed ({@link AdaptiveTrials}), after the run is taken - so only the worker
     * that won it spends the sampler's time - and written on the run. The write needs no token:
     * the trial's setting is fixed once chosen, so any claim of the run writes the same.
     */
    Document withSetting(ExperimentRecord exp, Document run) {
        if (run.get("params") != null) {
            return run;
        }
        AdaptiveTrials.Chosen chosen = adaptive.settingOf(exp, run);
        Document params = new Document(chosen.params());
        db.collections().runs().updateOne(Filters.and(Filters.eq("_id", run.getString("_id")), Filters.eq("params", null)),
                Updates.combine(Updates.set("params", params), Updates.set("chosen", chosen.about())));
        return new Document(run).append("params", params).append("chosen", chosen.about());
    }

    /** What a run records of the claim that hands it to {@code req} with {@code token} (a next attempt, too). */
    static List<Bson> claimedBy(Request req, String token, Date at) {
        return List.of(
                Updates.set("token", token),
                Updates.set("worker", req.worker()),
                Updates.set("claimedAt", at),
                Updates.set("heartbeatAt", at),
                Updates.set("leaseUntil", new Date(at.getTime() + req.leaseMillis())),
                Updates.set("leaseMillis", req.leaseMillis()),
                Updates.set("provenance", req.provenance()),
                Updates.inc("attempt", 1));
    }

    @SuppressWarnings("unchecked")
    static Claim claim(ExperimentRecord exp, Document run, String token) {
        Document params = run.get("params", Document.class);
        return new Claim(run.getString("_id"), token, exp.id(), run.getString("model"), run.getString("dataset"),
                run.getInteger("trial"), run.getInteger("replicate"), run.get("seed", Number.class).longValue(),
                run.getInteger("attempt"), params == null ? Map.of() : new LinkedHashMap<>(params),
                run.getDate("leaseUntil").toInstant(), run.get("leaseMillis", Number.class).longValue(), run.getString("checkpoint"),
                exp.command(), run.getInteger("attempt") > 1 || run.getString("checkpoint") != null);
    }
}
