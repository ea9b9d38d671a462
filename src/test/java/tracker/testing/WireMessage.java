package tracker.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * One MongoDB wire-protocol message kept as its raw bytes, with just enough parsing for
 * {@link CutProxy}: the header, and the name of the command a request carries.
 *
 * <p>Layout (https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/): a 16-byte
 * header of little-endian int32s messageLength, requestID, responseTo, opCode; then for OP_MSG
 * the flagBits and sections (kind 0: one BSON body whose first key is the command name; kind 1:
 * int32 size, identifier, documents), then a CRC-32C if flag bit 0 is set.
 */
final class WireMessage {
    static final int OP_QUERY = 2004;
    static final int OP_COMPRESSED = 2012;
    static final int OP_MSG = 2013;

    private static final int HEADER_BYTES = 16;
    private static final int CHECKSUM_PRESENT = 1;
    private static final int MORE_TO_COME = 1 << 1;
    private static final byte BODY = 0;
    private static final byte DOCUMENT_SEQUENCE = 1;
    private static final byte BSON_DOCUMENT = 3;
    /** The server's maxMessageSizeBytes is 48 MB; anything larger is a framing error, not data. */
    private static final int MAX_MESSAGE_BYTES = 64 << 20;

    private final byte[] bytes;

    private WireMessage(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The next message on the stream, or null if the stream ended cleanly between messages. */
    static WireMessage read(InputStream in) throws IOException {
        byte[] length = in.readNBytes(4);
        if (length.length == 0) {
            return null;
        }
        if (length.length < 4) {
            throw new EOFException("stream ended inside a message header");
        }
        int size = intAt(length, 0);
        if (size < HEADER_BYTES || size > MAX_MESSAGE_BYTES) {
            throw new ProtocolException("not a MongoDB wire message: length " + size);
        }
        byte[] bytes = new byte[size];
        System.arraycopy(length, 0, bytes, 0, 4);
        if (in.readNBytes(bytes, 4, size - 4) < size - 4) {
            throw new EOFException("stream ended inside a message");
        }
        return new WireMessage(bytes);
    }

    /** Writes the message unchanged, in one write so it leaves as a whole. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
        out.flush();
    }

    int requestId() {
        return intAt(bytes, 4);
    }

    int responseTo() {
        return intAt(bytes, 8);
    }

    int opCode() {
        return intAt(bytes, 12);
    }

    /** An OP_MSG with moreToCome gets no reply (an unacknowledged write, w:0). */
    boolean expectsNoReply() {
        return opCode() == OP_MSG && (intAt(bytes, HEADER_BYTES) & MORE_TO_COME) != 0;
    }

    /**
     * The command a request carries (the first key of its body, as sent), or null if it carries
     * none. Fails for messages whose command cannot be seen: compressed or legacy opcodes.
     */
    String commandName() throws ProtocolException {
        try {
            return switch (opCode()) {
                case OP_MSG -> msgCommand();
                case OP_QUERY -> queryCommand();
                case OP_COMPRESSED -> throw new ProtocolException("OP_COMPRESSED: CutProxy cannot see which command"
                        + " it carries; leave compressors out of the client's settings");
                default -> throw new ProtocolException("opCode " + opCode() + ": CutProxy reads only OP_MSG and OP_QUERY");
            };
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("malformed opCode " + opCode() + " message of " + bytes.length + " bytes");
        }
    }

    private String msgCommand() throws ProtocolException {
        int flags = intAt(bytes, HEADER_BYTES);
        int end = bytes.length - ((flags & CHECKSUM_PRESENT) != 0 ? 4 : 0);
        int pos = HEADER_BYTES + 4;
        while (pos < end) {
            byte kind = bytes[pos++];
            if (kind == BODY) {
                return firstKey(pos);
            } else if (kind == DOCUMENT_SEQUENCE) {
                pos += intAt(bytes, pos); // the size counts itself, not the kind byte
            } else {
                throw new ProtocolException("OP_MSG section of unknown kind " + kind);
            }
        }
        return null;
    }

    /** The driver sends OP_QUERY only for its first hello; a command there goes to "db.$cmd". */
    private String queryCommand() {
        int collectionStart = HEADER_BYTES + 4;
        int collectionEnd = cstringEnd(collectionStart);
        String collection = new String(bytes, collectionStart, collectionEnd - collectionStart, StandardCharsets.UTF_8);
        if (!collection.endsWith(".$cmd")) {
            return null;
        }
        int document = collectionEnd + 1 + 8; // after numberToSkip and numberToReturn
        String key = firstKey(document);
        // Legacy wrapping {$query: {<command>...}, $readPreference: ...}: the command is inside.
        if (("$query".equals(key) || "query".equals(key)) && bytes[document + 4] == BSON_DOCUMENT) {
            return firstKey(cstringEnd(document + 5) + 1);
        }
        return key;
    }

    /** The first key of the BSON document at {@code document}, or null if it is empty. */
    private String firstKey(int document) {
        int typeAt = document + 4;
        if (bytes[typeAt] == 0) {
            return null;
        }
        int nameEnd = cstringEnd(typeAt + 1);
        return new String(bytes, typeAt + 1, nameEnd - typeAt - 1, StandardCharsets.UTF_8);
    }

    private int cstringEnd(int start) {
        int i = start;
        while (bytes[i] != 0) {
            i++;
        }
        return i;
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
