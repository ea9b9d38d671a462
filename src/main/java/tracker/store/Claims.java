package tracker.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.Document;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * {@code tracker next}: hands one run to one worker with single-document atomic operations only.
 *
 * <p>Order: runs to resume (preempted or requeued) first; then runs whose lease expired (the
 * next attempt, with a new token); then the next queue position of the least advanced cell (by
 * priority), so every cell gets its first trial before any cell its second. A position is taken
 * with a compare-and-set on the cell's {@code next}, and the run with a conditional update on its
 * status, so no run is ever handed out twice.
 */
public final class Claims {
    private static final FindOneAndUpdateOptions AFTER = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
    private static final FindOneAndUpdateOptions BEFORE = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE);

    /** Which cells a worker serves; empty sets mean all. */
    public record Filter(Set<String> models, Set<String> datasets) {
        boolean accepts(Document cell) {
            return (models.isEmpty() || models.contains(cell.getString("model")))
                    && (datasets.isEmpty() || datasets.contains(cell.getString("dataset")));
        }
    }

    private final Experiments experiments;
    private final MongoCollection<Document> cells;
    private final MongoCollection<Document> runs;
    private final Results results;

    public Claims(Database db) {
        this.results = new Results(db);
        this.experiments = new Experiments(db);
        this.cells = new Cells(db).collection();
        this.runs = db.mongo().getCollection("runs").withWriteConcern(WriteConcern.MAJORITY);
    }

    /**
     * @param lease      how long the claim lasts without renewal; null: the definition's
     * @param provenance who claims: host, user, pid, worker, cluster job, code version
     */
    public ClaimOutcome next(ExperimentRecord exp, Filter filter, String worker, Duration lease, Document provenance) {
        long leaseMillis = lease != null ? lease.toMillis() : exp.leaseMillis();
        for (int round = 0; round < 100; round++) {
            List<Document> mine = new ArrayList<>();
            for (Document c : new Cells(null, cells).of(exp)) {
                if (filter.accepts(c)) {
                    mine.add(c);
                }
            }
            // Ties (cells equally advanced) in random order: many workers starting at once spread
            // over the cells instead of all racing for the same one.
            java.util.Collections.shuffle(mine);
            mine.sort(Comparator.comparingInt((Document c) -> -c.getInteger("priority", 0))
                    .thenComparingInt(c -> c.getInteger("next", 0)));
            long now = System.currentTimeMillis();

            // 1. Runs to resume.
            for (Document c : mine) {
                if (c.getList("resume", Object.class, List.of()).isEmpty()) {
                    continue;
                }
                Document before = cells.findOneAndUpdate(Filters.and(Filters.eq("_id", c.get("_id")), Filters.exists("resume.0")),
                        Updates.popFirst("resume"), BEFORE);
                if (before == null) {
                    continue;
                }
                int pos = ((Number) before.getList("resume", Object.class).get(0)).intValue();
                String token = Tokens.fresh();
                long until = System.currentTimeMillis() + leaseMillis;
                Claim claim = take(exp, c, pos, token, until, worker, leaseMillis, provenance);
                if (claim != null) {
                    cells.updateOne(Filters.eq("_id", c.get("_id")),
                            Updates.set("running." + pos, new Document("until", until).append("token", token)));
                    return new ClaimOutcome.Claimed(claim);
                }
            }

            // 2. Runs whose lease expired: the next attempt, or failure after the last one.
            boolean expiredSeen = false;
            for (Document c : mine) {
                Document running = c.get("running", Document.class);
                if (running == null) {
                    continue;
                }
                for (Map.Entry<String, Object> e : running.entrySet()) {
                    Document lease0 = (Document) e.getValue();
                    if (lease0.getLong("until") >= now) {
                        continue;
                    }
                    expiredSeen = true;
                    Claim claim = takeOver(exp, c, Integer.parseInt(e.getKey()), lease0.getString("token"), worker,
                            leaseMillis, provenance, now);
                    if (claim != null) {
                        return new ClaimOutcome.Claimed(claim);
                    }
                }
            }

            if (expiredSeen && round < 3) {
                continue; // failed or cleaned up: look at the cells again before judging what is left
            }

            // 3. The next position of the least advanced cell.
            boolean raced = false;
            for (Document c : mine) {
                int k = c.getInteger("next", 0);
                if (k >= c.getInteger("size", 0)) {
                    continue;
                }
                // Take position k and note it as running in one write (a claim is two durable writes in all).
                String token = Tokens.fresh();
                long until = System.currentTimeMillis() + leaseMillis;
                boolean won = cells.updateOne(Filters.and(Filters.eq("_id", c.get("_id")), Filters.eq("next", k)),
                        Updates.combine(Updates.inc("next", 1),
                                Updates.set("running." + k, new Document("until", until).append("token", token)))).getModifiedCount() == 1;
                if (!won) {
                    raced = true; // another worker took that position: try the next cell
                    continue;
                }
                Claim claim = take(exp, c, k, token, until, worker, leaseMillis, provenance);
                if (claim != null) {
                    return new ClaimOutcome.Claimed(claim);
                }
                // That run was cancelled: the position is spent; drop our entry and look again.
                cells.updateOne(Filters.and(Filters.eq("_id", c.get("_id")), Filters.eq("running." + k + ".token", token)),
                        Updates.unset("running." + k));
                raced = true;
                break;
            }
            if (raced) {
                continue;
            }

            int inFlight = 0;
            long earliest = Long.MAX_VALUE;
            for (Document c : mine) {
                Document running = c.get("running", Document.class);
                if (running != null) {
                    for (Object v : running.values()) {
                        inFlight++;
                        earliest = Math.min(earliest, ((Document) v).getLong("until"));
                    }
                }
            }
            return inFlight > 0 ? new ClaimOutcome.NothingNow(inFlight, Instant.ofEpochMilli(earliest)) : new ClaimOutcome.NothingLeft();
        }
        return new ClaimOutcome.NothingNow(0, null);
    }

    /** Claims the run at {@code pos} of cell {@code c} if it is still pending; the caller notes it in the cell. */
    private Claim take(ExperimentRecord exp, Document c, int pos, String token, long untilMillis, String worker,
                       long leaseMillis, Document provenance) {
        Date now = new Date();
        Date until = new Date(untilMillis);
        Document run = runs.findOneAndUpdate(
                Filters.and(Filters.eq("_id", Runs.id(c.getString("_id"), pos)), Filters.eq("status", "pending")),
                Updates.combine(
                        Updates.set("status", "running"),
                        Updates.set("token", token),
                        Updates.set("worker", worker),
                        Updates.set("claimedAt", now),
                        Updates.set("heartbeatAt", now),
                        Updates.set("leaseUntil", until),
                        Updates.set("leaseMillis", leaseMillis),
                        Updates.set("provenance", provenance),
                        Updates.inc("attempt", 1)),
                AFTER);
        if (run == null) {
            return null;
        }
        return claim(exp, run, token, until, leaseMillis);
    }

    /**
     * The run at {@code pos} was claimed with {@code token} and its lease ran out: the worker is
     * gone or stuck. Its attempt ends as "expired" in the history; the run goes to this worker
     * with a new token, or fails when it has had all its attempts.
     */
    private Claim takeOver(ExperimentRecord exp, Document c, int pos, String token, String worker, long leaseMillis,
                           Document provenance, long now) {
        Document run = runs.find(Filters.eq("_id", Runs.id(c.getString("_id"), pos))).first();
        if (run == null || !"running".equals(run.getString("status")) || !token.equals(run.getString("token"))) {
            // Ended or taken over, and the cell entry left behind (its writer died between the two
            // updates): drop the entry, unless a newer claim has replaced it meanwhile.
            cells.updateOne(Filters.and(Filters.eq("_id", c.get("_id")), Filters.eq("running." + pos + ".token", token)),
                    Updates.unset("running." + pos));
            return null;
        }
        if (run.getDate("leaseUntil").getTime() >= now) {
            // Renewed by log or heartbeat, which do not touch the cell (one write less each): bring
            // the cell's copy of the deadline up to date, so this check comes back only when it may be due.
            cells.updateOne(Filters.and(Filters.eq("_id", c.get("_id")), Filters.eq("running." + pos + ".token", token)),
                    Updates.set("running." + pos + ".until", run.getDate("leaseUntil").getTime()));
            return null;
        }
        Document ended = Runs.attemptEnded(run, "expired", new Date(now)).append("message", "lease expired: no log, heartbeat or end for " + (run.get("leaseMillis", Number.class).longValue() / 1000) + "s");
        int attempts = run.getInteger("attempt", 0);
        if (attempts >= exp.maxAttempts()) {
            Document failed = runs.findOneAndUpdate(Filters.and(Filters.eq("_id", run.get("_id")), Filters.eq("token", token),
                            Filters.eq("status", "running")),
                    Updates.combine(Updates.set("status", "failed"), Updates.set("endedAt", new Date(now)), Updates.unset("token"),
                            Updates.set("message", "lease expired on each of its " + attempts + " attempts (runs.max_attempts)"),
                            Updates.pushEach("history", List.of(ended), new com.mongodb.client.model.PushOptions().slice(-100))),
                    AFTER);
            if (failed != null) {
                results.record(failed);
                cells.updateOne(Filters.eq("_id", c.get("_id")), Updates.unset("running." + pos));
                experiments.finished(exp.id(), "failed", 1);
            }
            return null;
        }
        String fresh = Tokens.fresh();
        Date until = new Date(now + leaseMillis);
        Document taken = runs.findOneAndUpdate(Filters.and(Filters.eq("_id", run.get("_id")), Filters.eq("token", token),
                        Filters.eq("status", "running"), Filters.lt("leaseUntil", new Date(now))),
                Updates.combine(
                        Updates.set("token", fresh),
                        Updates.set("worker", worker),
                        Updates.set("claimedAt", new Date(now)),
                        Updates.set("heartbeatAt", new Date(now)),
                        Updates.set("leaseUntil", until),
                        Updates.set("leaseMillis", leaseMillis),
                        Updates.set("provenance", provenance),
                        Updates.inc("attempt", 1),
                        Updates.pushEach("history", List.of(ended), new com.mongodb.client.model.PushOptions().slice(-100))),
                AFTER);
        if (taken == null) {
            return null;
        }
        cells.updateOne(Filters.eq("_id", c.get("_id")),
                Updates.set("running." + pos, new Document("until", until.getTime()).append("token", fresh)));
        return claim(exp, taken, fresh, until, leaseMillis);
    }

    @SuppressWarnings("unchecked")
    private static Claim claim(ExperimentRecord exp, Document run, String token, Date until, long leaseMillis) {
        Document params = run.get("params", Document.class);
        return new Claim(run.getString("_id"), token, exp.id(), run.getString("model"), run.getString("dataset"),
                run.getInteger("trial"), run.getInteger("replicate"), run.get("seed", Number.class).longValue(),
                run.getInteger("attempt"), params == null ? Map.of() : new java.util.LinkedHashMap<>(params),
                until.toInstant(), leaseMillis, run.getString("checkpoint"), exp.command(),
                run.getInteger("attempt") > 1 || run.getString("checkpoint") != null);
    }
}
