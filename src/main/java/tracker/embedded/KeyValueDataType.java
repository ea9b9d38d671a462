package tracker.embedded;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * The keys of {@link DurableH2Backend}'s unique indexes, compared by {@link KeyValueOrder} instead of
 * H2's default for unknown types, which Java-serializes both keys on every comparison of the B-tree
 * (inserting 100k documents took over 30 s, almost all of it in that serialization).
 *
 * <p><b>On-disk format</b> (part of the format of {@code data.mv.db} from now on: change it only with
 * a new format byte and a reader for the old one): a key is the byte {@link #FORMAT_V1}, the number of
 * elements as a var-int, then each element as a tag byte and its value: {@link #NULL} (nothing more),
 * {@link #OBJECT_ID} (12 bytes), {@link #INSTANT} (epoch second as long, nano as var-int), or
 * {@link #OTHER} followed by the value as written by H2's {@link ObjectDataType} (native for strings,
 * numbers, booleans and UUIDs, Java serialization for the rest, e.g. documents). The order of the
 * keys in the file is that of {@link KeyValueOrder}.
 *
 * <p>Stores written before this type (by the stock {@code H2UniqueIndex}) hold each key as
 * {@code ObjectDataType} wrote it, a serialized object that always starts with the byte 19. This
 * type still reads such keys (and says so with {@link #readLegacyKeys()}), so that such an index
 * can be read once and rebuilt in the new format and order, see {@link DurableUniqueIndex#open}.
 */
final class KeyValueDataType extends BasicDataType<KeyValue> {
    static final byte FORMAT_V1 = 1;
    /** The first byte of a key written by the stock index: ObjectDataType's TYPE_SERIALIZED_OBJECT. */
    static final byte LEGACY_SERIALIZED = 19;

    static final byte NULL = 0;
    static final byte OTHER = 1;
    static final byte OBJECT_ID = 2;
    static final byte INSTANT = 3;

    private final ObjectDataType values = new ObjectDataType();
    private volatile boolean readLegacyKeys;

    /** Whether a key in the stock format was read since this type was created. */
    boolean readLegacyKeys() {
        return readLegacyKeys;
    }

    @Override
    public int compare(KeyValue a, KeyValue b) {
        return KeyValueOrder.compare(a, b);
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }

    @Override
    public int getMemory(KeyValue key) {
        int memory = 32 + 8 * key.size();
        for (Object v : key) {
            memory += memory(v);
        }
        return memory;
    }

    private static int memory(Object v) {
        if (v instanceof String) {
            return 48 + ((String) v).length();
        } else if (v instanceof Map || v instanceof Collection) {
            return 256;
        }
        return 24;
    }

    @Override
    public void write(WriteBuffer buff, KeyValue key) {
        buff.put(FORMAT_V1);
        buff.putVarInt(key.size());
        for (Object v : key) {
            if (v == null || v instanceof Missing) {
                buff.put(NULL);
            } else if (v instanceof ObjectId) {
                buff.put(OBJECT_ID);
                buff.put(((ObjectId) v).toByteArray());
            } else if (v instanceof Instant) {
                Instant t = (Instant) v;
                buff.put(INSTANT);
                buff.putLong(t.getEpochSecond());
                buff.putVarInt(t.getNano());
            } else {
                buff.put(OTHER);
                values.write(buff, v);
            }
        }
    }

    @Override
    public KeyValue read(ByteBuffer buff) {
        byte format = buff.get(buff.position());
        if (format == LEGACY_SERIALIZED) {
            readLegacyKeys = true;
            return (KeyValue) values.read(buff);
        } else if (format != FORMAT_V1) {
            throw new IllegalStateException("unique index key in an unknown format (" + format
                    + "); was the data written by a newer tracker?");
        }
        buff.get();
        int n = DataUtils.readVarInt(buff);
        List<Object> elements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte tag = buff.get();
            switch (tag) {
                case NULL:
                    elements.add(null);
                    break;
                case OBJECT_ID: {
                    byte[] bytes = new byte[12];
                    buff.get(bytes);
                    elements.add(new ObjectId(bytes));
                    break;
                }
                case INSTANT: {
                    long seconds = buff.getLong();
                    elements.add(Instant.ofEpochSecond(seconds, DataUtils.readVarInt(buff)));
                    break;
                }
                case OTHER:
                    elements.add(values.read(buff));
                    break;
                default:
                    throw new IllegalStateException("unique index key element with unknown tag " + tag);
            }
        }
        return new KeyValue(elements);
    }
}
