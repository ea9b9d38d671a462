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

    /**
     * A find by {@code _id $in [...]} (how tracker reads runs, pages and cells by id) was matched
     * again, document by document, against the whole list: 1,000 ids a batch made a million
     * comparisons per batch, most of an export's time. The index found exactly those documents,
     * so they are not matched again; any other query still is.
     */
    @Override
    protected QueryResult matchDocuments(Document query, Iterable<Object> positions, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        return super.matchDocuments(onlyPlainIdsIn(query) ? new Document() : query, positions, orderBy, numberToSkip, limit,
                batchSize, fieldSelector);
    }

    /** {@code {_id: {$in: [ids]}}} and nothing else, every id a string (no regex, no null, no number of another type). */
    static boolean onlyPlainIdsIn(Document query) {
        if (query.size() != 1 || !(query.get("_id") instanceof Document id) || id.size() != 1 || !(id.get("$in") instanceof java.util.Collection<?> ids)) {
            return false;
        }
        for (Object o : ids) {
            if (!(o instanceof String)) {
                return false;
            }
        }
        return true;
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
