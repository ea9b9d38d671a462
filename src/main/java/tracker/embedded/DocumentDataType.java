package tracker.embedded;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Map;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The documents of {@link DurableH2Backend}'s collections, stored as BSON instead of H2's default for
 * unknown types, Java serialization, which made writing the pages of a commit and reading them back
 * the bulk of the work of an insert.
 *
 * <p><b>On-disk format</b> (part of the format of {@code data.mv.db} from now on): a document is the
 * byte {@link #BSON} followed by the document as BSON, as the wire protocol encodes it (so it stores
 * exactly what a client can read back). Anything else is a value as H2's {@link ObjectDataType}
 * writes it: documents written by the stock backend (Java-serialized, first byte 19) and documents
 * that BSON cannot encode (never seen; written that way as a fallback). No byte that ObjectDataType
 * starts a value with equals {@link #BSON}, and a collection's map can mix both forms, so no
 * conversion of older stores is needed.
 */
final class DocumentDataType extends BasicDataType<Document> {
    /** Unused by ObjectDataType, whose first bytes are types 0-19 and tags 32-49 and 64-119. */
    static final byte BSON = (byte) 0xB5;

    private final ObjectDataType fallback = new ObjectDataType();

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    @Override
    public int compare(Document a, Document b) {
        // Values are compared only for equality (MVMap.replace, remove(key, value)); H2's default did it
        // on the serialized form.
        return a.equals(b) ? 0 : fallback.compare(a, b);
    }

    @Override
    public int getMemory(Document document) {
        return 48 + memory(document, 0);
    }

    /** A rough estimate of the heap a decoded value takes, for H2's page cache. */
    private static int memory(Object v, int depth) {
        if (v instanceof String) {
            return 48 + ((String) v).length();
        } else if (depth < 8 && v instanceof Map) {
            int m = 64;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                m += 40 + memory(e.getKey(), depth + 1) + memory(e.getValue(), depth + 1);
            }
            return m;
        } else if (depth < 8 && v instanceof Collection) {
            int m = 40;
            for (Object o : (Collection<?>) v) {
                m += 8 + memory(o, depth + 1);
            }
            return m;
        }
        return 24;
    }

    @Override
    public void write(WriteBuffer buff, Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
        } catch (RuntimeException e) {
            fallback.write(buff, document);
            return;
        }
        buff.put(BSON);
        buff.put(bson.nioBuffer());
    }

    @Override
    public Document read(ByteBuffer buff) {
        int start = buff.position();
        if (buff.get(start) != BSON) {
            return (Document) fallback.read(buff);
        }
        int length = buff.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start + 1);
        ByteBuffer bson = buff.duplicate();
        bson.position(start + 1).limit(start + 1 + length);
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson.slice()));
        buff.position(start + 1 + length);
        return document;
    }
}
