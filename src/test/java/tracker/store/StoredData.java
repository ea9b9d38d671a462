package tracker.store;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

/**
 * For tests that look at what commands stored: where the store keeps a run's epochs and outcomes
 * (the key schemes are the store's own, so tests ask it instead of repeating them).
 */
public final class StoredData {
    private StoredData() {
    }

    /**
     * The stored epoch of a run as {@code {epoch, PHASE: {METRIC: value}}}, or null when it was
     * never logged.
     */
    public static Document epoch(MongoDatabase db, String runId, long epoch) {
        Document d = db.getCollection("metrics").find(Filters.eq("_id", Epochs.id(runId, epoch))).first();
        return d == null ? null : flat(d);
    }

    /** Every stored epoch of a run, in order, each as {@link #epoch} gives it. */
    public static List<Document> epochs(MongoDatabase db, String runId) {
        return stored(db, runId).stream().map(StoredData::flat).toList();
    }

    /** Every stored epoch of a run, in order, as {@code {epoch, v: {PHASE: {METRIC: value}}}} (any phase name). */
    public static List<Document> stored(MongoDatabase db, String runId) {
        List<Document> out = new ArrayList<>();
        for (Document d : db.getCollection("metrics").find(Filters.eq("run", runId))) {
            out.add(d);
        }
        out.sort(java.util.Comparator.comparingLong(d -> d.get("epoch", Number.class).longValue()));
        return out;
    }

    private static Document flat(Document d) {
        Document out = new Document("epoch", d.get("epoch"));
        Document v = d.get("v", Document.class);
        if (v != null) {
            out.putAll(v);
        }
        return out;
    }

    /** The id of the results page that holds the outcome of the run at {@code pos} of a cell. */
    public static String resultsPage(String cellId, int pos) {
        return Results.pageId(cellId, pos);
    }

    /** The field of that page that holds it. */
    public static String resultsEntry(int pos) {
        return "e." + pos;
    }
}
