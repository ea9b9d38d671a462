package tracker.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;

/**
 * A unique index (at least the {@code _id} index of every collection) as the stock
 * {@code H2UniqueIndex}, in an MVMap of the same name, but with keys of {@link KeyValueDataType}: they
 * are compared without serializing them.
 *
 * <p>The {@code _id} index also enforces the {@link DocumentSizeLimit}: an index's checks are the
 * one place where mongo-java-server shows a new or updated document before it changes anything (an
 * update is applied to the stored document in place right after them), for inserts, upserts,
 * updates and findAndModify alike, and every collection has an {@code _id} index.
 */
final class DurableUniqueIndex extends AbstractUniqueIndex<Object> {
    /** Suffix of the map that an index in the stock format is rebuilt into; it then takes its name. */
    static final String REBUILD_SUFFIX = "._tracker_rebuild";
    private static final String ID_INDEX = "_id_";

    private final MVMap<KeyValue, Object> map;
    private final boolean limitsDocumentSize;

    private DurableUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
        this.limitsDocumentSize = name.equals(ID_INDEX);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        if (limitsDocumentSize) {
            DocumentSizeLimit.checkNew(document);
        }
        super.checkAdd(document, collection);
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        if (limitsDocumentSize) {
            DocumentSizeLimit.checkUpdated(newDocument);
        }
        super.checkUpdate(oldDocument, newDocument, collection);
    }

    /**
     * Opens or creates the index in the map {@code mapName}. An index written by the stock backend
     * (keys in its format and order) is rebuilt first: copied into a new map, which then replaces it.
     * A crash at any point leaves either the old map (the copy is discarded and redone) or, once the
     * old map is gone, the complete copy (which is then renamed).
     */
    static DurableUniqueIndex open(MVStore store, String mapName, String indexName, List<IndexKey> keys, boolean sparse) {
        String rebuildName = mapName + REBUILD_SUFFIX;
        if (store.hasMap(rebuildName)) {
            if (store.hasMap(mapName)) {
                store.removeMap(rebuildName); // an interrupted copy; the old map is still there
            } else {
                store.renameMap(openMap(store, rebuildName), mapName); // old map removed, rename missed
            }
        }
        MVMap<KeyValue, Object> map = openMap(store, mapName);
        if (!map.isEmpty()) {
            map.firstKey(); // reads the first leaf: its keys show the format of all
            if (((KeyValueDataType) map.getKeyType()).readLegacyKeys()) {
                map = rebuild(store, map, rebuildName);
            }
        }
        return new DurableUniqueIndex(map, indexName, keys, sparse);
    }

    /**
     * The stock index serves only queries on exactly its keys ({@code {_id: x}}); any other field -
     * {@code {_id: x, token: t, status: "running"}}, the shape of every fenced write - made the
     * server scan the whole collection. A unique index can serve any query that pins all of its
     * keys by equality (at the top level or in a top-level $and): at most one document can match,
     * and the server still checks the whole query against it.
     */
    @Override
    public synchronized boolean canHandle(Document query) {
        return super.canHandle(query) || pinnedKey(query) != null || range(query) != null || inList(query) != null;
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        if (super.canHandle(query)) {
            return super.getPositions(query);
        }
        Document key = pinnedKey(query);
        if (key == null) {
            List<?> values = inList(query);
            return values != null ? positionsOf(values) : positionsIn(range(query));
        }
        Object position = getPosition(key);
        return position == null ? List.of() : List.of(position);
    }

    /**
     * A range of text on a one-field index, {@code {_id: {$gte: "a", $lt: "b"}}} (at the top level or
     * in a top-level $and): a run's epochs are one such range of the {@code metrics} ids. Served from
     * the B-tree in key order, where the stock server scanned the whole collection (30 million
     * documents for one run's epochs at a million runs).
     */
    private record Range(String low, boolean lowIncluded, String high, boolean highIncluded) {
    }

    private Range range(Document query) {
        if (keys().size() != 1) {
            return null;
        }
        // The driver writes and(gte(_id, a), lt(_id, b)) as {$and: [{_id: {$gte: a}}, {_id: {$lt: b}}]}:
        // the bounds may come in several clauses.
        List<Object> conditions = conditions(query, keys().get(0));
        String low = null;
        String high = null;
        boolean lowIncluded = false;
        boolean highIncluded = false;
        for (Object condition : conditions) {
            if (!(condition instanceof Document d) || d.isEmpty()) {
                return null;
            }
            for (String op : d.keySet()) {
                if (!(d.get(op) instanceof String bound)) {
                    return null;
                }
                switch (op) {
                    case "$gte", "$gt" -> {
                        if (low != null) {
                            return null;
                        }
                        low = bound;
                        lowIncluded = op.equals("$gte");
                    }
                    case "$lte", "$lt" -> {
                        if (high != null) {
                            return null;
                        }
                        high = bound;
                        highIncluded = op.equals("$lte");
                    }
                    default -> {
                        return null;
                    }
                }
            }
        }
        return low == null || high == null ? null : new Range(low, lowIncluded, high, highIncluded);
    }

    /** Every condition on {@code field}: at the top level and in the clauses of a top-level $and. */
    private static List<Object> conditions(Document query, String field) {
        List<Object> found = new ArrayList<>();
        if (query.containsKey(field)) {
            found.add(query.get(field));
        }
        if (query.get("$and") instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document d && d.containsKey(field)) {
                    found.add(d.get(field));
                }
            }
        }
        return found;
    }

    /**
     * The values of {@code {_id: {$in: [...]}}} on a one-field index when other conditions come
     * with it in a top-level $and ({@code {_id: {$in: ids}, status: "running"}}): the stock index
     * serves $in only alone, and a batch of runs looked up by id with a status scanned every run.
     */
    private List<?> inList(Document query) {
        if (keys().size() != 1 || !(condition(query, keys().get(0)) instanceof Document d) || d.size() != 1
                || !(d.get("$in") instanceof List<?> values)) {
            return null;
        }
        return values.stream().allMatch(DurableUniqueIndex::plain) ? values : null;
    }

    private List<Object> positionsOf(List<?> values) {
        java.util.Set<Object> positions = new java.util.LinkedHashSet<>();
        for (Object v : values) {
            Object position = getPosition(new Document(keys().get(0), v));
            if (position != null) {
                positions.add(position);
            }
        }
        return new ArrayList<>(positions);
    }

    /** The condition on {@code field}: at the top level, or in one clause of a top-level $and. */
    private static Object condition(Document query, String field) {
        if (query.containsKey(field)) {
            return query.get(field);
        }
        if (query.get("$and") instanceof List<?> clauses) {
            Object found = null;
            for (Object clause : clauses) {
                if (clause instanceof Document d && d.containsKey(field)) {
                    if (found != null) {
                        return null; // two conditions on the field: leave them to the scan
                    }
                    found = d.get(field);
                }
            }
            return found;
        }
        return null;
    }

    private List<Object> positionsIn(Range r) {
        KeyValue high = new KeyValue(r.high());
        List<Object> positions = new ArrayList<>();
        Cursor<KeyValue, Object> c = map.cursor(new KeyValue(r.low()));
        while (c.hasNext()) {
            KeyValue key = c.next();
            int vsHigh = KeyValueOrder.compare(key, high);
            if (vsHigh > 0 || (vsHigh == 0 && !r.highIncluded())) {
                break;
            }
            if (r.lowIncluded() || KeyValueOrder.compare(key, new KeyValue(r.low())) != 0) {
                positions.add(c.getValue());
            }
        }
        return positions;
    }

    private static final Object NOT_PINNED = new Object();

    /** The index's fields with the values the query requires, or null when it does not pin them all. */
    private Document pinnedKey(Document query) {
        Document key = new Document();
        for (String field : keys()) {
            Object v = pinned(query, field);
            if (v == NOT_PINNED) {
                return null;
            }
            key.put(field, v);
        }
        return key;
    }

    private static Object pinned(Document query, String field) {
        if (query.containsKey(field)) {
            Object v = query.get(field);
            if (v instanceof Document d && d.keySet().stream().anyMatch(k -> k.startsWith("$"))) {
                return d.size() == 1 && d.containsKey("$eq") && plain(d.get("$eq")) ? d.get("$eq") : NOT_PINNED;
            }
            return plain(v) ? v : NOT_PINNED;
        }
        if (query.get("$and") instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document d) {
                    Object v = pinned(d, field);
                    if (v != NOT_PINNED) {
                        return v;
                    }
                }
            }
        }
        return NOT_PINNED;
    }

    /** A value that equality matches only by being equal (null also matches a missing field; arrays and patterns match more). */
    private static boolean plain(Object v) {
        return v != null && !(v instanceof java.util.Collection) && !(v instanceof java.util.regex.Pattern)
                && !(v instanceof Missing);
    }

    private static MVMap<KeyValue, Object> openMap(MVStore store, String name) {
        return store.openMap(name, new MVMap.Builder<KeyValue, Object>().keyType(new KeyValueDataType()));
    }

    private static MVMap<KeyValue, Object> rebuild(MVStore store, MVMap<KeyValue, Object> legacy, String rebuildName) {
        String name = legacy.getName();
        System.err.println(Instant.now() + " converting unique index " + name + " (" + legacy.sizeAsLong()
                + " keys) to the current format");
        MVMap<KeyValue, Object> fresh = openMap(store, rebuildName);
        fresh.clear();
        // Iterating walks the pages in their stored order; it does not compare keys.
        for (Map.Entry<KeyValue, Object> e : legacy.entrySet()) {
            if (fresh.putIfAbsent(e.getKey(), e.getValue()) != null) {
                System.err.println(Instant.now() + " unique index " + name + ": key " + e.getKey()
                        + " occurs twice; keeping the first");
            }
        }
        store.removeMap(legacy);
        store.renameMap(fresh, name);
        return fresh;
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
        return map.remove(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
        return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
        return map.get(keyValue);
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
