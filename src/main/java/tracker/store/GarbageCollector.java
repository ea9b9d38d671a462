package tracker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.bson.RawBsonDocument;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * {@code tracker gc}: removes what no experiment references - the {@code _id} ranges of experiment
 * ids that have no experiment document (see {@link Lifecycle} for the ranges) - and finishes
 * experiments stuck in {@code deleting}. How it stays correct next to concurrent creates is in
 * {@link Lifecycle}: the candidates are listed before the experiments are read, and an orphaned id is
 * claimed with a placeholder experiment before anything of it is removed.
 */
public final class GarbageCollector {
    /** A placeholder gc inserted to claim the id of orphans: it has no definition. */
    static final String PLACEHOLDER = "placeholder";
    private static final int BATCH = 1000;

    private final Database db;
    private final Lifecycle lifecycle;

    public GarbageCollector(Database db) {
        this.db = db;
        this.lifecycle = new Lifecycle(db);
    }

    /** What gc found: orphaned experiment ids (their documents) and deletes it finished, and what was (or would be) freed. */
    public record Collected(List<String> orphans, List<String> finished, Lifecycle.Removed removed) {
    }

    /**
     * Removes what no experiment references: the ranges of experiment ids that have no experiment
     * document, and experiments stuck in {@code deleting}. With {@code dryRun}, measures the same
     * and writes nothing.
     */
    public Collected collect(boolean dryRun) {
        // 1. the candidates: every experiment id that some dependent document names (ids only)
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (MongoCollection<Document> coll : lifecycle.dependents().values()) {
            for (Document d : coll.find().projection(Projections.include("_id")).batchSize(BATCH)) {
                String exp = Lifecycle.experimentOf(d.get("_id"));
                if (exp != null) {
                    named.add(exp);
                }
            }
        }
        // 2. the experiments, read after the candidates: one created meanwhile is seen as existing
        Map<String, Lifecycle.Mark> existing = new TreeMap<>();
        for (Document d : db.collections().experiments().find().projection(Projections.include(Lifecycle.ARCHIVED, Lifecycle.DELETING))) {
            existing.put(d.getString("_id"), Lifecycle.markOf(d));
        }
        List<String> orphans = named.stream().filter(id -> !existing.containsKey(id)).toList();
        List<String> stuck = existing.entrySet().stream().filter(e -> e.getValue() == Lifecycle.Mark.deleting).map(Map.Entry::getKey).toList();
        Lifecycle.Removed removed = Lifecycle.Removed.none();
        List<String> finished = new ArrayList<>();
        if (dryRun) {
            for (String id : orphans) {
                removed.addAll(lifecycle.measure(id));
            }
            for (String id : stuck) {
                removed.addAll(lifecycle.measure(id));
                removed.add("experiments", 1, bytesOf(id));
            }
            return new Collected(orphans, stuck, removed);
        }
        List<String> collected = new ArrayList<>();
        for (String id : orphans) {
            // 3. claim the id before removing anything of it: a create of it now fails its insert
            if (claim(id)) {
                Lifecycle.Removed r = finishedByUs(id);
                if (r != null) {
                    r.documents().remove("experiments"); // the placeholder is not something that was there
                    r.bytes().remove("experiments");
                    removed.addAll(r);
                    collected.add(id);
                }
            }
        }
        for (String id : stuck) {
            Lifecycle.Removed r = finishedByUs(id);
            if (r != null) {
                removed.addAll(r);
                finished.add(id);
            }
        }
        return new Collected(collected, finished, removed);
    }

    /** Finishes the delete of {@code experimentId}; null when another delete or gc finished it first. */
    private Lifecycle.Removed finishedByUs(String experimentId) {
        try {
            return lifecycle.finishDelete(experimentId);
        } catch (TrackerException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private long bytesOf(String experimentId) {
        RawBsonDocument d = db.collections().experiments().withDocumentClass(RawBsonDocument.class).find(Filters.eq("_id", experimentId)).first();
        return d == null ? 0 : d.getByteBuffer().remaining();
    }

    /**
     * Inserts a placeholder experiment marked {@code deleting} under an orphan's id; true when gc
     * may remove the id's documents: its insert won, or the id is a placeholder or delete already.
     * False when a create inserted the experiment first: then the documents are its own.
     */
    private boolean claim(String experimentId) {
        int at = experimentId.lastIndexOf('@');
        Integer version = null;
        if (at > 0) {
            try {
                version = Integer.parseInt(experimentId.substring(at + 1));
            } catch (NumberFormatException e) {
                version = null;
            }
        }
        Document placeholder = new Document("_id", experimentId)
                .append("name", at > 0 ? experimentId.substring(0, at) : experimentId)
                // an id that is no name@version still needs a unique (name, version): the id itself is unique
                .append("version", version != null ? version : -Math.abs(experimentId.hashCode()) - 1)
                .append("state", PLACEHOLDER)
                .append(Lifecycle.DELETING, db.clock().now())
                .append(PLACEHOLDER, true);
        try {
            db.collections().experiments().insertOne(placeholder);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return lifecycle.mark(experimentId) == Lifecycle.Mark.deleting;
            }
            throw e;
        }
    }
}
