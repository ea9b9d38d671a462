package tracker.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.RawBsonDocument;

/** For benchmarks: the size of the largest document of each of tracker's collections (a full read of each). */
public final class StoreStats {
    private StoreStats() {
    }

    public static Map<String, Long> largestDocuments(Database db) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : List.of("experiments", "cells", "runs", "results", "metrics")) {
            long max = 0;
            for (RawBsonDocument d : db.mongo().getCollection(name, RawBsonDocument.class).find().batchSize(1000)) {
                max = Math.max(max, d.getByteBuffer().remaining());
            }
            out.put(name, max);
        }
        return out;
    }
}
