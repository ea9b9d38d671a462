package tracker.embedded;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * A client of the legacy OP_QUERY protocol, which today's drivers no longer speak but servers still
 * accept: to check that it offers no way around authentication.
 */
final class LegacyWire implements AutoCloseable {
    private static final int OP_QUERY = 2004;
    private final Socket socket;
    private int requestId;

    LegacyWire(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(10_000);
    }

    /**
     * Sends {@code query} to {@code namespace} ("db.$cmd" for a command) and returns the documents of
     * the reply, or null when the server closed the connection instead of replying.
     */
    List<BsonDocument> query(String namespace, BsonDocument query) throws IOException {
        BasicOutputBuffer bson = new BasicOutputBuffer();
        new BsonDocumentCodec().encode(new BsonBinaryWriter(bson), query, EncoderContext.builder().build());
        byte[] ns = (namespace + "\0").getBytes(StandardCharsets.UTF_8);
        int length = 16 + 4 + ns.length + 8 + bson.getSize();
        ByteBuffer message = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(length).putInt(++requestId).putInt(0).putInt(OP_QUERY);
        message.putInt(0).put(ns).putInt(0).putInt(-1).put(bson.toByteArray());
        OutputStream out = socket.getOutputStream();
        out.write(message.array());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[36];
        try {
            in.readFully(header);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int total = h.getInt(0);
        int returned = h.getInt(32);
        byte[] body = new byte[total - 36];
        in.readFully(body);
        List<BsonDocument> documents = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < returned; i++) {
            int size = b.getInt(b.position());
            byte[] doc = new byte[size];
            b.get(doc);
            documents.add(new RawBsonDocument(doc));
        }
        return documents;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
