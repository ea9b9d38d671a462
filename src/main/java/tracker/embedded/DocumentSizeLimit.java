package tracker.embedded;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonJavaScript;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * MongoDB's 16 MiB limit on a stored document, which mongo-java-server does not enforce: a
 * document that grows without bound (an ever longer array) works here until it breaks on a real
 * MongoDB, after whatever else the same command wrote. Checked with MongoDB's codes and messages:
 * 10334 (BSONObjectTooLarge) for a new document, inserted or upserted, and 17419 for the result of
 * an update.
 */
final class DocumentSizeLimit {
    /** MongoDB's BSONObjMaxUserSize. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private DocumentSizeLimit() {
    }

    static void checkNew(Document document) {
        long size = bsonSize(document);
        if (size > MAX_BYTES) {
            throw new MongoServerError(10334, "BSONObjectTooLarge", "object to insert too large. size in bytes: " + size
                    + ", max size: " + MAX_BYTES);
        }
    }

    static void checkUpdated(Document document) {
        if (bsonSize(document) > MAX_BYTES) {
            throw new MongoServerError(17419, "Location17419", "Resulting document after update is larger than " + MAX_BYTES);
        }
    }

    /** The size of the document as BSON, counted without encoding it (this runs before every write). */
    static long bsonSize(Map<String, ?> document) {
        long size = 4 + 1; // length, terminating 0
        for (Map.Entry<String, ?> e : document.entrySet()) {
            size += 1 + utf8Length(e.getKey()) + 1 + valueSize(e.getValue());
        }
        return size;
    }

    private static long valueSize(Object v) {
        if (v == null || v instanceof Boolean) {
            return v == null ? 0 : 1;
        } else if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> document = (Map<String, ?>) m;
            return bsonSize(document);
        } else if (v instanceof Collection<?> c) {
            long size = 4 + 1;
            int i = 0;
            for (Object element : c) {
                size += 1 + Integer.toString(i++).length() + 1 + valueSize(element);
            }
            return size;
        } else if (v instanceof String s) {
            return 4 + utf8Length(s) + 1;
        } else if (v instanceof Integer) {
            return 4;
        } else if (v instanceof Long || v instanceof Double || v instanceof Instant || v instanceof BsonTimestamp) {
            return 8;
        } else if (v instanceof ObjectId) {
            return 12;
        } else if (v instanceof Decimal128) {
            return 16;
        } else if (v instanceof BinData b) {
            return 4 + 1 + b.getData().length;
        } else if (v instanceof UUID || v instanceof LegacyUUID) {
            return 4 + 1 + 16;
        } else if (v instanceof BsonRegularExpression r) {
            return utf8Length(r.getPattern()) + 1 + utf8Length(r.getOptions()) + 1;
        } else if (v instanceof BsonJavaScript j) {
            return 4 + utf8Length(j.getCode()) + 1;
        }
        return encodedSize(v); // MinKey, MaxKey and anything rarer
    }

    private static long encodedSize(Object v) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeValue(BsonEncoder.determineType(v), v, buffer);
            return buffer.writerIndex();
        } finally {
            buffer.release();
        }
    }

    /** As {@code s.getBytes(UTF_8).length}, which encodes a lone surrogate as '?'. */
    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
