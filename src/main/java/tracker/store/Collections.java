package tracker.store;

import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * The one place that says how each collection is written and read.
 *
 * <p>Writes: {@code w: majority} with a {@code wtimeout}, for every collection. A write that only
 * the primary has seen can be rolled back by a failover; the run is the commit point of every
 * change, but a rolled-back {@code results}, {@code metrics} or {@code steps} entry would make a report disagree
 * with its runs, so they get the same concern. The timeout makes a primary-secondary-arbiter set
 * whose secondary is down fail the write clearly (exit 5) instead of blocking forever. A write that
 * timed out may still have been applied: every write of tracker is conditional or idempotent, so a
 * retry is safe.
 *
 * <p>Reads: primary with read concern {@code majority}. Almost every read decides something (which
 * run to claim, whether a token still holds, "nothing left" - which stops shell loops): a stale
 * secondary chosen by {@code readPreference=secondaryPreferred} in a user's URI must not answer
 * them, and a read must not see a write that a failover can still roll back.
 */
final class Collections {
    /** How long a write may wait for a majority of the replica set before it fails. */
    static final long WRITE_TIMEOUT_MILLIS = 20_000;

    static final WriteConcern WRITE = WriteConcern.MAJORITY.withWTimeout(WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

    private final MongoCollection<Document> experiments;
    private final MongoCollection<Document> cells;
    private final MongoCollection<Document> runs;
    private final MongoCollection<Document> results;
    private final MongoCollection<Document> metrics;
    private final MongoCollection<Document> steps;
    private final MongoCollection<Document> keys;
    private final MongoCollection<Document> trials;
    private final MongoCollection<Document> rungs;
    private final MongoCollection<Document> meta;
    private final MongoCollection<Document> links;

    Collections(MongoDatabase db) {
        this.experiments = open(db, "experiments");
        this.cells = open(db, "cells");
        this.runs = open(db, "runs");
        this.results = open(db, "results");
        this.metrics = open(db, "metrics");
        this.steps = open(db, "steps");
        this.keys = open(db, "keys");
        this.trials = open(db, "trials");
        this.rungs = open(db, "rungs");
        this.meta = open(db, "meta");
        this.links = open(db, "links");
    }

    private static MongoCollection<Document> open(MongoDatabase db, String name) {
        return db.getCollection(name)
                .withWriteConcern(WRITE)
                .withReadPreference(ReadPreference.primary())
                .withReadConcern(ReadConcern.MAJORITY);
    }

    MongoCollection<Document> experiments() {
        return experiments;
    }

    /** One document per fact about the database itself: {@code {_id: "schema", version}} (see {@link Schema}). */
    MongoCollection<Document> meta() {
        return meta;
    }

    /** Links between experiments and between runs, one document each, found from either end (see {@link Links}). */
    MongoCollection<Document> links() {
        return links;
    }

    MongoCollection<Document> cells() {
        return cells;
    }

    MongoCollection<Document> runs() {
        return runs;
    }

    MongoCollection<Document> results() {
        return results;
    }

    MongoCollection<Document> metrics() {
        return metrics;
    }

    MongoCollection<Document> steps() {
        return steps;
    }

    /** API keys of tracker serve: one small document per key, the secret only as a hash. */
    MongoCollection<Document> keys() {
        return keys;
    }

    /** The settings of adaptive trials, one small document per trial ({@link AdaptiveTrials}). */
    MongoCollection<Document> trials() {
        return trials;
    }

    /** Objective values at early-stopping rungs, in pages per cell and epoch ({@link Rungs}). */
    MongoCollection<Document> rungs() {
        return rungs;
    }
}
