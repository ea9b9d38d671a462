package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** The embedded backend refuses documents over 16 MiB as MongoDB does, with its codes, and changes nothing then. */
class DocumentSizeLimitTest {
    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    static final InMemoryBackend BACKEND = new InMemoryBackend();

    private static MongoCollection<Document> collection(String name) {
        MongoCollection<Document> c = BACKEND.client().getDatabase("limits").getCollection(name);
        c.drop();
        return c;
    }

    private static int parts(MongoCollection<Document> c, Object id) {
        return c.find(Filters.eq("_id", id)).first().getList("parts", String.class).size();
    }

    @Test
    void an_update_that_grows_a_document_past_16_MiB_fails_with_17419_and_changes_nothing() {
        MongoCollection<Document> c = collection("grow");
        c.insertOne(new Document("_id", 1).append("parts", List.of()));
        String chunk = "x".repeat(3 * MIB);
        for (int i = 0; i < 5; i++) {
            c.updateOne(Filters.eq("_id", 1), Updates.push("parts", chunk)); // 15 MiB and a little: still fine
        }
        assertThatThrownBy(() -> c.updateOne(Filters.eq("_id", 1), Updates.push("parts", chunk)))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> {
                    assertThat(e.getError().getCode()).isEqualTo(17419);
                    assertThat(e.getError().getMessage()).isEqualTo("Resulting document after update is larger than 16777216");
                });
        assertThat(parts(c, 1)).isEqualTo(5);
        c.updateOne(Filters.eq("_id", 1), Updates.push("parts", "small")); // the document is still usable
        assertThat(parts(c, 1)).isEqualTo(6);
    }

    @Test
    void find_one_and_update_and_update_many_are_held_to_it_too() {
        MongoCollection<Document> c = collection("fam");
        String chunk = "y".repeat(9 * MIB);
        c.insertOne(new Document("_id", "a").append("parts", List.of(chunk)));
        c.insertOne(new Document("_id", "b").append("parts", List.of()));
        assertThatThrownBy(() -> c.findOneAndUpdate(Filters.eq("_id", "a"), Updates.push("parts", chunk)))
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(17419);
                    assertThat(e.getErrorMessage()).endsWith("Resulting document after update is larger than 16777216");
                });
        assertThatThrownBy(() -> c.updateMany(Filters.in("_id", "a", "b"), Updates.push("parts", chunk)))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getError().getCode()).isEqualTo(17419));
        assertThat(parts(c, "a")).isEqualTo(1);
    }

    @Test
    void a_new_document_over_16_MiB_fails_with_10334() {
        MongoCollection<Document> pieces = collection("pieces");
        String chunk = "z".repeat(6 * MIB);
        for (int i = 0; i < 3; i++) {
            pieces.insertOne(new Document("_id", i).append("s", chunk));
        }
        // The driver itself refuses to send a document over 16 MiB; the server makes one here.
        assertThatThrownBy(() -> pieces.aggregate(List.of(Aggregates.group(null, Accumulators.push("all", "$s")),
                Aggregates.out("merged"))).toCollection())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(10334);
                    assertThat(e.getErrorMessage()).matches(".*object to insert too large\\. size in bytes: \\d+, max size: 16777216");
                });
    }

    /** At the wire level, where a client may send what the driver would not. */
    @Test
    void inserts_and_upserts_at_the_limit_pass_and_one_byte_more_fails() {
        DurableH2Backend backend = DurableH2Backend.over(new MVStore.Builder().open(), null, new StoreFailure("memory"));
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            de.bwaldvogel.mongo.bson.Document exactly = sized("at-limit", DocumentSizeLimit.MAX_BYTES);
            de.bwaldvogel.mongo.bson.Document over = sized("over", DocumentSizeLimit.MAX_BYTES + 1);
            assertThat(encodedSize(exactly)).isEqualTo(DocumentSizeLimit.MAX_BYTES);

            de.bwaldvogel.mongo.bson.Document ok = backend.handleCommand(channel, "t", "insert",
                    new de.bwaldvogel.mongo.bson.Document("insert", "c").append("documents", List.of(exactly)));
            assertThat(ok.get("writeErrors")).isNull();
            de.bwaldvogel.mongo.bson.Document refused = backend.handleCommand(channel, "t", "insert",
                    new de.bwaldvogel.mongo.bson.Document("insert", "c").append("documents", List.of(over)));
            assertThat(writeErrorCode(refused)).isEqualTo(10334);

            de.bwaldvogel.mongo.bson.Document upsert = backend.handleCommand(channel, "t", "update",
                    new de.bwaldvogel.mongo.bson.Document("update", "c").append("updates", List.of(
                            new de.bwaldvogel.mongo.bson.Document("q", new de.bwaldvogel.mongo.bson.Document("_id", "over"))
                                    .append("u", new de.bwaldvogel.mongo.bson.Document("$set",
                                            new de.bwaldvogel.mongo.bson.Document("s", over.get("s"))))
                                    .append("upsert", true))));
            assertThat(writeErrorCode(upsert)).isEqualTo(10334);
            de.bwaldvogel.mongo.bson.Document count = backend.handleCommand(channel, "t", "count",
                    new de.bwaldvogel.mongo.bson.Document("count", "c"));
            assertThat(((Number) count.get("n")).intValue()).isEqualTo(1);
        } finally {
            channel.close();
            backend.close();
        }
    }

    @Test
    void the_counted_size_is_the_encoded_size() {
        de.bwaldvogel.mongo.bson.Document d = new de.bwaldvogel.mongo.bson.Document("_id", new ObjectId())
                .append("s", "ascii, ünïcödé, 漢字, 🙂 and a lone \ud800 surrogate")
                .append("n", List.of(1, 2L, 3.5, true, false))
                .append("nested", new de.bwaldvogel.mongo.bson.Document("at", Instant.now()).append("none", null))
                .append("bin", new BinData(new byte[] {1, 2, 3}))
                .append("uuid", UUID.randomUUID())
                .append("many", new ArrayList<>(java.util.Collections.nCopies(120, Map.of("k", "v"))));
        assertThat(DocumentSizeLimit.bsonSize(d)).isEqualTo(encodedSize(d));
    }

    private static de.bwaldvogel.mongo.bson.Document sized(String id, int bytes) {
        int overhead = encodedSize(new de.bwaldvogel.mongo.bson.Document("_id", id).append("s", ""));
        return new de.bwaldvogel.mongo.bson.Document("_id", id).append("s", "s".repeat(bytes - overhead));
    }

    private static int encodedSize(de.bwaldvogel.mongo.bson.Document d) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(d, buffer);
            return buffer.writerIndex();
        } finally {
            buffer.release();
        }
    }

    private static int writeErrorCode(de.bwaldvogel.mongo.bson.Document reply) {
        List<?> errors = (List<?>) reply.get("writeErrors");
        assertThat(errors).as(reply.toString().substring(0, Math.min(300, reply.toString().length()))).hasSize(1);
        return ((Number) ((de.bwaldvogel.mongo.bson.Document) errors.get(0)).get("code")).intValue();
    }
}
