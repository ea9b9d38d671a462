package tracker.embedded;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A cursor over a collection scan that reads each batch from the store when the client asks for
 * it. mongo-java-server instead collects every matching document first and keeps them all until the
 * cursor is gone: an export of 100,000 runs held about 900 MB of decoded documents in the server's
 * heap, and the 2,000,000 metric documents of {@code export --epochs} more than any heap we would
 * give it. Here a cursor holds one key.
 *
 * <p>Each batch continues the scan after the last key it read, on the collection as it is then (no
 * old version of the store is kept for it), in key order, as MongoDB's collection scans do: a
 * document inserted or changed behind that point is not seen, one ahead of it is.
 */
final class ScanCursor extends AbstractCursor {
    private final MVMap<Object, Document> data;
    private final Matcher match;
    private int skip;
    private Object lastKey;
    private boolean started;
    private boolean exhausted;
    private long remaining;

    /** Filters and projects stored documents: skips the first {@code skip} matches, returns at most {@code limit}. */
    @FunctionalInterface
    interface Matcher {
        List<Document> match(Stream<Document> stored, int skip, int limit);
    }

    /**
     * @param skip  matches to pass over before the first one returned
     * @param limit at most this many documents in all; 0: no limit
     */
    ScanCursor(long id, MVMap<Object, Document> data, int skip, int limit, Matcher match) {
        super(id);
        this.data = data;
        this.match = match;
        this.skip = skip;
        this.remaining = limit > 0 ? limit : Long.MAX_VALUE;
    }

    @Override
    public synchronized boolean isEmpty() {
        return exhausted;
    }

    @Override
    public synchronized List<Document> takeDocuments(int numberToReturn) {
        int n = (int) Math.min(numberToReturn > 0 ? numberToReturn : Integer.MAX_VALUE, remaining);
        Stream<Document> rest = StreamSupport.stream(Spliterators.spliteratorUnknownSize(new Rest(), 0), false);
        List<Document> batch = match.match(rest, skip, n); // pulls one document at a time, stops at the n-th match
        skip = 0;
        started = true;
        remaining -= batch.size();
        exhausted = batch.size() < n || remaining == 0;
        return batch;
    }

    /** The stored documents after the last key read (all of them the first time), noting each key as it is read. */
    private final class Rest implements Iterator<Document> {
        private final Object after = lastKey;
        private final Cursor<Object, Document> scan = data.cursor(started ? after : null);
        private boolean first = started;
        private Document next;

        @Override
        public boolean hasNext() {
            while (next == null && scan.hasNext()) {
                Object key = scan.next();
                if (first) {
                    first = false;
                    if (Objects.equals(key, after)) {
                        continue; // read in the batch before
                    }
                }
                lastKey = key;
                next = scan.getValue();
            }
            return next != null;
        }

        @Override
        public Document next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Document d = next;
            next = null;
            return d;
        }
    }
}
