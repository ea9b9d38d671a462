package tracker.embedded;

import java.util.List;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The collections of {@link DurableH2Backend}: H2's, except that a find that scans the collection
 * in batches reads them from the store as the client asks ({@link ScanCursor}) instead of holding
 * every match in memory. Sorted finds still collect everything (they must), as do finds through an
 * index (a unique index finds at most a handful) and unbatched ones (all in one reply anyway).
 */
final class DurableCollection extends H2Collection {
    private final MVMap<Object, Document> data;

    DurableCollection(MongoDatabase database, String collectionName, CollectionOptions options, MVMap<Object, Document> data,
                      MVMap<String, Object> meta, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, data, meta, cursorRegistry);
        this.data = data;
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        if ((orderBy != null && !orderBy.isEmpty()) || batchSize <= 0 || (limit > 0 && limit <= batchSize)) {
            return super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        ScanCursor cursor = new ScanCursor(cursorRegistry.generateCursorId(), data, numberToSkip, limit,
                (stored, skip, n) -> matchDocumentsFromStream(query, stored, skip, n, 0, null, fieldSelector).collectDocuments());
        List<Document> first = cursor.takeDocuments(batchSize);
        if (cursor.isEmpty()) {
            return new QueryResult(first);
        }
        cursorRegistry.add(cursor);
        return new QueryResult(first, cursor);
    }
}
