package tracker.embedded;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;

/**
 * A unique index (at least the {@code _id} index of every collection) as the stock
 * {@code H2UniqueIndex}, in an MVMap of the same name, but with keys of {@link KeyValueDataType}: they
 * are compared without serializing them.
 */
final class DurableUniqueIndex extends AbstractUniqueIndex<Object> {
    /** Suffix of the map that an index in the stock format is rebuilt into; it then takes its name. */
    static final String REBUILD_SUFFIX = "._tracker_rebuild";

    private final MVMap<KeyValue, Object> map;

    private DurableUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
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
