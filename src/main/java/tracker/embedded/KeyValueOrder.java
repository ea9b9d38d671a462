package tracker.embedded;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * The order of the keys in the unique indexes of {@link DurableH2Backend}: element by element,
 * a shorter key first when one is a prefix of the other.
 *
 * <p>It has to be a total order whose "equal" is the index's notion of a duplicate key, because the
 * index is an H2 B-tree: a lookup, and with it the duplicate check of every insert, is a binary
 * search with this comparator. The index stores normalized keys (mongo-java-server turns every number
 * into a Double, unless a Long that a double cannot represent, and -0.0 into 0.0), so "equal"
 * means what it meant with the stock index, which compared the Java-serialized keys: same type and
 * same value. Numbers compare by their exact value, so that a lookup with a not normalized number
 * (5L, 5.0) finds the same entry. Types are ordered as MongoDB sorts them.
 *
 * <p>mongo-java-server's {@code ValueComparator} is not used: it is a sort order, not a total order
 * (inside documents, arrays compare by their smallest element; two regular expressions cannot be
 * compared at all), so it would merge distinct keys or break the B-tree.
 */
final class KeyValueOrder {
    private KeyValueOrder() {
    }

    static int compare(KeyValue a, KeyValue b) {
        if (a == b) {
            return 0;
        }
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static int compareValues(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case MIN_KEY:
            case NULL:
            case MAX_KEY:
                return 0;
            case NUMBER:
                return compareNumbers((Number) a, (Number) b);
            case STRING:
                return ((String) a).compareTo((String) b);
            case DOCUMENT:
                return compareMaps((Map<?, ?>) a, (Map<?, ?>) b);
            case ARRAY:
                return compareCollections((Collection<?>) a, (Collection<?>) b);
            case BIN_DATA: {
                byte[] x = ((BinData) a).getData();
                byte[] y = ((BinData) b).getData();
                int c = Integer.compare(x.length, y.length);
                return c != 0 ? c : Arrays.compareUnsigned(x, y);
            }
            case LEGACY_UUID:
                return ((LegacyUUID) a).getUuid().compareTo(((LegacyUUID) b).getUuid());
            case UUID_:
                return ((UUID) a).compareTo((UUID) b);
            case OBJECT_ID:
                return Arrays.compareUnsigned(((ObjectId) a).toByteArray(), ((ObjectId) b).toByteArray());
            case BOOLEAN:
                return Boolean.compare((Boolean) a, (Boolean) b);
            case DATE:
                return ((Instant) a).compareTo((Instant) b);
            case TIMESTAMP:
                return Long.compare(((BsonTimestamp) a).getValue(), ((BsonTimestamp) b).getValue());
            default: // REGEX, OTHER: rare in keys; what the stock index did, by class and serialized form
                int c = a.getClass().getName().compareTo(b.getClass().getName());
                return c != 0 ? c : ObjectDataType.compareNotNull(ObjectDataType.serialize(a), ObjectDataType.serialize(b));
        }
    }

    private static final int MIN_KEY = 0;
    private static final int NULL = 1;
    private static final int NUMBER = 2;
    private static final int STRING = 3;
    private static final int DOCUMENT = 4;
    private static final int ARRAY = 5;
    private static final int BIN_DATA = 6;
    private static final int LEGACY_UUID = 7;
    private static final int UUID_ = 8;
    private static final int OBJECT_ID = 9;
    private static final int BOOLEAN = 10;
    private static final int DATE = 11;
    private static final int TIMESTAMP = 12;
    private static final int REGEX = 13;
    private static final int OTHER = 14;
    private static final int MAX_KEY = 15;

    private static int rank(Object v) {
        if (v == null || v instanceof Missing) {
            return NULL;
        } else if (v instanceof String) {
            return STRING;
        } else if (v instanceof Number) {
            return NUMBER;
        } else if (v instanceof ObjectId) {
            return OBJECT_ID;
        } else if (v instanceof Map) {
            return DOCUMENT;
        } else if (v instanceof Collection) {
            return ARRAY;
        } else if (v instanceof Boolean) {
            return BOOLEAN;
        } else if (v instanceof Instant) {
            return DATE;
        } else if (v instanceof UUID) {
            return UUID_;
        } else if (v instanceof BinData) {
            return BIN_DATA;
        } else if (v instanceof LegacyUUID) {
            return LEGACY_UUID;
        } else if (v instanceof BsonTimestamp) {
            return TIMESTAMP;
        } else if (v instanceof BsonRegularExpression) {
            return REGEX;
        } else if (v instanceof MinKey) {
            return MIN_KEY;
        } else if (v instanceof MaxKey) {
            return MAX_KEY;
        }
        return OTHER;
    }

    /**
     * By exact value: integral types as longs, the others as doubles (where -0.0 equals 0.0 and NaN
     * is above everything), a long against a double exactly.
     */
    private static int compareNumbers(Number a, Number b) {
        boolean ia = isIntegral(a);
        boolean ib = isIntegral(b);
        if (ia && ib) {
            return Long.compare(a.longValue(), b.longValue());
        } else if (!ia && !ib) {
            return compareDoubles(a.doubleValue(), b.doubleValue());
        } else if (ia) {
            return compareLongDouble(a.longValue(), b.doubleValue());
        } else {
            return -compareLongDouble(b.longValue(), a.doubleValue());
        }
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static int compareDoubles(double a, double b) {
        return a == b ? 0 : Double.compare(a, b);
    }

    private static int compareLongDouble(long l, double d) {
        // Rounding to double is monotonic: if the rounded long differs from d, so does the long, in the
        // same direction. If they are equal, d is an integral finite value: compare exactly.
        int c = compareDoubles((double) l, d);
        return c != 0 ? c : BigDecimal.valueOf(l).compareTo(new BigDecimal(d));
    }

    private static int compareMaps(Map<?, ?> a, Map<?, ?> b) {
        Iterator<? extends Map.Entry<?, ?>> x = a.entrySet().iterator();
        Iterator<? extends Map.Entry<?, ?>> y = b.entrySet().iterator();
        while (x.hasNext() && y.hasNext()) {
            Map.Entry<?, ?> ex = x.next();
            Map.Entry<?, ?> ey = y.next();
            int c = compareValues(ex.getKey(), ey.getKey());
            if (c == 0) {
                c = compareValues(ex.getValue(), ey.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(x.hasNext(), y.hasNext());
    }

    private static int compareCollections(Collection<?> a, Collection<?> b) {
        Iterator<?> x = a.iterator();
        Iterator<?> y = b.iterator();
        while (x.hasNext() && y.hasNext()) {
            int c = compareValues(x.next(), y.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(x.hasNext(), y.hasNext());
    }
}
