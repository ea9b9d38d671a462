package tracker.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

/**
 * For benchmarks: the size of the largest document of each of tracker's collections, read by id
 * (experiment by experiment, cell by cell, in batches): a filterless scan of a million documents
 * makes the embedded server hold them all at once.
 */
public final class StoreStats {
    private static final int BATCH = 1000;

    private StoreStats() {
    }

    public static Map<String, Long> largestDocuments(Database db) {
        Collections c = db.collections();
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("experiments", largest(c.experiments(), Filters.empty()));
        long cells = 0;
        long runs = 0;
        long results = 0;
        long metrics = 0;
        for (ExperimentRecord e : new Experiments(db).all()) {
            for (Cells.Cell cell : new Cells(db).of(e)) {
                cells = Math.max(cells, largest(c.cells(), Filters.eq("_id", cell.id())));
                for (int p = 0; p < Results.pages(cell.size()); p++) {
                    results = Math.max(results, largest(c.results(), Filters.eq("_id", cell.id() + "#" + p)));
                }
                for (int from = 0; from < cell.size(); from += BATCH) {
                    int to = Math.min(cell.size(), from + BATCH);
                    List<String> ids = new ArrayList<>();
                    for (int pos = from; pos < to; pos++) {
                        ids.add(Runs.id(cell.id(), pos));
                    }
                    runs = Math.max(runs, largest(c.runs(), Filters.in("_id", ids)));
                    metrics = Math.max(metrics, largest(c.metrics(), Filters.and(
                            Filters.gte("_id", cell.id() + "/" + Epochs.key(from) + "#"), Filters.lt("_id", cell.id() + "/" + Epochs.key(to) + "#"))));
                }
            }
        }
        out.put("cells", cells);
        out.put("runs", runs);
        out.put("results", results);
        out.put("metrics", metrics);
        return out;
    }

    private static long largest(MongoCollection<?> coll, Bson filter) {
        long max = 0;
        for (RawBsonDocument d : coll.withDocumentClass(RawBsonDocument.class).find(filter).batchSize(BATCH)) {
            max = Math.max(max, d.getByteBuffer().remaining());
        }
        return max;
    }
}
