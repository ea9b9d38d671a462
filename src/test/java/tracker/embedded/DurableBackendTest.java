package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;

import java.util.Arrays;
import java.util.Map;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The unique indexes and documents of the durable backend (own key and document formats) through the
 * real driver: duplicate detection, lookups, restarts, and stores written by the stock backend.
 */
class DurableBackendTest {
    @TempDir
    Path home;

    private EmbeddedServer server;
    private MongoClient client;

    @AfterEach
    void tearDown() {
        stop();
    }

    private MongoCollection<Document> start() throws Exception {
        server = EmbeddedServer.start(home, "127.0.0.1", 0, Duration.ZERO, "test");
        client = MongoClients.create(server.clientUri());
        return runs();
    }

    private MongoCollection<Document> runs() {
        return client.getDatabase("t").getCollection("runs");
    }

    private MongoCollection<Document> restart() throws Exception {
        stop();
        return start();
    }

    private void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static void assertDuplicateKey(Runnable write) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(MongoWriteException.class, e -> {
            assertThat(e.getError().getCode()).isEqualTo(11000);
            assertThat(e.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY);
        });
    }

    private static Document find(MongoCollection<Document> c, Object id) {
        return c.find(Filters.eq("_id", id)).first();
    }

    @Test
    void duplicate_id_is_rejected_and_the_first_document_stays() throws Exception {
        MongoCollection<Document> c = start();
        c.insertOne(new Document("_id", "a").append("v", 1));
        assertDuplicateKey(() -> c.insertOne(new Document("_id", "a").append("v", 2)));
        assertThat(find(c, "a").getInteger("v")).isEqualTo(1);
        assertThat(c.countDocuments()).isEqualTo(1);
    }

    @Test
    void find_by_id_of_several_types() throws Exception {
        MongoCollection<Document> c = start();
        ObjectId oid = new ObjectId();
        c.insertOne(new Document("_id", "s1").append("t", "string"));
        c.insertOne(new Document("_id", 42L).append("t", "long"));
        c.insertOne(new Document("_id", oid).append("t", "oid"));
        c.insertOne(new Document("_id", 7).append("t", "int"));
        c.insertOne(new Document("t", "generated"));
        checkIds(c, oid);
        checkIds(restart(), oid);
    }

    private static void checkIds(MongoCollection<Document> c, ObjectId oid) {
        assertThat(find(c, "s1").getString("t")).isEqualTo("string");
        assertThat(find(c, 42L).getString("t")).isEqualTo("long");
        assertThat(find(c, 42).getString("t")).isEqualTo("long"); // numbers compare by value
        assertThat(find(c, oid).getString("t")).isEqualTo("oid");
        assertThat(find(c, 7.0).getString("t")).isEqualTo("int");
        assertThat(find(c, "missing")).isNull();
        assertThat(find(c, 43L)).isNull();
        assertThat(find(c, new ObjectId())).isNull();
        Object generated = c.find(Filters.eq("t", "generated")).first().get("_id");
        assertThat(generated).isInstanceOf(ObjectId.class);
        assertThat(find(c, generated).getString("t")).isEqualTo("generated");
        assertThat(c.find(Filters.in("_id", "s1", 42L, oid)).into(new ArrayList<>())).hasSize(3);
        assertDuplicateKey(() -> c.insertOne(new Document("_id", 42.0)));
        assertDuplicateKey(() -> c.insertOne(new Document("_id", oid)));
    }

    @Test
    void unique_compound_index_rejects_duplicates_and_accepts_distinct_pairs() throws Exception {
        MongoCollection<Document> c = start();
        c.createIndex(Indexes.ascending("experiment", "key"), new IndexOptions().unique(true));
        c.insertOne(new Document("experiment", "e1").append("key", "k1"));
        c.insertOne(new Document("experiment", "e1").append("key", "k2"));
        c.insertOne(new Document("experiment", "e2").append("key", "k1"));
        c.insertOne(new Document("experiment", "e2").append("key", 1));
        c.insertOne(new Document("experiment", "e2")); // key missing: null
        MongoCollection<Document> fc = c;
        assertDuplicateKey(() -> fc.insertOne(new Document("experiment", "e1").append("key", "k1")));
        assertDuplicateKey(() -> fc.insertOne(new Document("experiment", "e2").append("key", 1.0)));
        assertDuplicateKey(() -> fc.insertOne(new Document("experiment", "e2").append("key", null)));
        assertThat(c.countDocuments()).isEqualTo(5);
        assertThat(c.find(Filters.and(Filters.eq("experiment", "e1"), Filters.eq("key", "k2"))).first()).isNotNull();
        assertThat(c.find(Filters.and(Filters.eq("experiment", "e3"), Filters.eq("key", "k2"))).first()).isNull();
        // An update into an existing pair is a duplicate too; into a new pair it is fine.
        assertThatThrownBy(() -> fc.updateOne(Filters.eq("key", "k2"), Updates.set("key", "k1")))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getError().getCode()).isEqualTo(11000));
        c.updateOne(Filters.eq("key", "k2"), Updates.set("key", "k3"));
        c.insertOne(new Document("experiment", "e1").append("key", "k2"));
        assertThat(c.countDocuments()).isEqualTo(6);
    }

    @Test
    void a_range_of_text_ids_comes_from_the_index_in_order_with_its_bounds() throws Exception {
        MongoCollection<Document> c = start();
        for (String id : List.of("r/a1#a1", "r/a1#a2", "r/a1#b10", "r/a2#a1", "r/a10#a1", "s/a1#a1")) {
            c.insertOne(new Document("_id", id).append("n", id.length()));
        }
        c.insertOne(new Document("_id", 5).append("n", 0));
        assertThat(c.find(Filters.and(Filters.gte("_id", "r/a1#"), Filters.lt("_id", "r/a1$"))).map(d -> d.get("_id")).into(new ArrayList<>()))
                .containsExactly("r/a1#a1", "r/a1#a2", "r/a1#b10");
        assertThat(c.find(Filters.and(Filters.gt("_id", "r/a1#a1"), Filters.lte("_id", "r/a2#a1"))).map(d -> d.get("_id")).into(new ArrayList<>()))
                .containsExactly("r/a1#a2", "r/a1#b10", "r/a10#a1", "r/a2#a1");
        assertThat(c.find(Filters.and(Filters.gte("_id", "r/"), Filters.lt("_id", "s"), Filters.eq("n", 7))).map(d -> d.get("_id"))
                .into(new ArrayList<>())).as("the rest of the query still applies").containsExactly("r/a1#a1", "r/a1#a2", "r/a2#a1");
        assertThat(c.countDocuments(Filters.and(Filters.gte("_id", "t"), Filters.lt("_id", "z")))).isZero();
    }

    @Test
    void delete_then_reinsert_and_find_one_and_update_by_id() throws Exception {
        MongoCollection<Document> c = start();
        c.insertOne(new Document("_id", "r1").append("status", "pending").append("attempt", 0));
        assertThat(c.deleteOne(Filters.eq("_id", "r1")).getDeletedCount()).isEqualTo(1);
        assertThat(find(c, "r1")).isNull();
        c.insertOne(new Document("_id", "r1").append("status", "pending").append("attempt", 0));
        Document after = c.findOneAndUpdate(Filters.eq("_id", "r1"),
                Updates.combine(Updates.set("status", "running"), Updates.inc("attempt", 1)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        assertThat(after.getString("status")).isEqualTo("running");
        assertThat(after.getInteger("attempt")).isEqualTo(1);
        assertThat(c.findOneAndUpdate(Filters.eq("_id", "nope"), Updates.set("status", "x"))).isNull();
        c = restart();
        assertThat(find(c, "r1").getString("status")).isEqualTo("running");
        MongoCollection<Document> fc = c;
        assertDuplicateKey(() -> fc.insertOne(new Document("_id", "r1")));
    }

    @Test
    void insert_many_unordered_with_duplicates_inserts_the_others() throws Exception {
        MongoCollection<Document> c = start();
        c.insertOne(new Document("_id", "d3"));
        List<Document> batch = new ArrayList<>();
        for (String id : List.of("d1", "d2", "d3", "d4", "d2", "d5")) {
            batch.add(new Document("_id", id));
        }
        assertThatThrownBy(() -> c.insertMany(batch, new InsertManyOptions().ordered(false)))
                .isInstanceOfSatisfying(MongoBulkWriteException.class, e -> {
                    assertThat(e.getWriteErrors()).extracting(BulkWriteError::getCode).containsExactly(11000, 11000);
                    assertThat(e.getWriteErrors()).extracting(BulkWriteError::getIndex).containsExactlyInAnyOrder(2, 4);
                });
        assertThat(c.countDocuments()).isEqualTo(5);
        for (String id : List.of("d1", "d2", "d3", "d4", "d5")) {
            assertThat(find(c, id)).as(id).isNotNull();
        }
    }

    @Test
    void documents_and_unique_indexes_survive_a_restart() throws Exception {
        MongoCollection<Document> c = start();
        c.createIndex(Indexes.ascending("experiment", "key"), new IndexOptions().unique(true));
        // Enough random keys for B-trees of several levels, inserted out of order.
        Random random = new Random(1);
        List<String> ids = new ArrayList<>();
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String id = "run-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            ids.add(id);
            batch.add(new Document("_id", id).append("experiment", "e" + (i % 7)).append("key", i)
                    .append("params", new Document("lr", 0.001 * i).append("tags", List.of("a", i)))
                    .append("createdAt", new Date(1_700_000_000_000L + i)));
            if (batch.size() == 500) {
                c.insertMany(batch, new InsertManyOptions().ordered(false));
                batch.clear();
            }
        }
        Document sample = find(c, ids.get(1234));
        for (int round = 0; round < 2; round++) {
            assertThat(c.countDocuments()).isEqualTo(2000);
            for (int i = 0; i < ids.size(); i += 13) {
                assertThat(find(c, ids.get(i))).as(ids.get(i)).isNotNull();
            }
            assertThat(find(c, ids.get(1234))).isEqualTo(sample);
            assertThat(c.find(Filters.and(Filters.eq("experiment", "e2"), Filters.eq("key", 2))).first().getString("_id"))
                    .isEqualTo(ids.get(2));
            MongoCollection<Document> fc = c;
            assertDuplicateKey(() -> fc.insertOne(new Document("_id", ids.get(1999))));
            assertDuplicateKey(() -> fc.insertOne(new Document("_id", "new").append("experiment", "e3").append("key", 3)));
            assertThat(c.listIndexes().into(new ArrayList<>())).anySatisfy(ix -> assertThat(ix.get("unique")).isEqualTo(true));
            c = restart();
        }
    }

    @Test
    void dropped_collections_and_indexes_leave_no_keys_behind() throws Exception {
        MongoCollection<Document> c = start();
        c.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
        c.insertOne(new Document("_id", "x").append("key", 1));
        c.dropIndex("key_1");
        c.insertOne(new Document("_id", "y").append("key", 1));
        c.drop();
        c = runs();
        c.insertOne(new Document("_id", "x").append("key", 1));
        c.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
        MongoCollection<Document> fc = c;
        assertDuplicateKey(() -> fc.insertOne(new Document("_id", "z").append("key", 1)));
        c = restart();
        assertThat(c.countDocuments()).isEqualTo(1);
        MongoCollection<Document> rc = c;
        assertDuplicateKey(() -> rc.insertOne(new Document("_id", "x")));
        assertDuplicateKey(() -> rc.insertOne(new Document("_id", "z").append("key", 1)));
    }

    @Test
    void a_store_written_by_the_stock_backend_is_read_and_converted() throws Exception {
        ObjectId oid = new ObjectId();
        MVStore store = new MVStore.Builder().fileName(new ServerFiles(home).data().toString()).open();
        H2Backend stock = new H2Backend(store);
        stock.version(ServerVersion.MONGO_5_0);
        MongoServer stockServer = new MongoServer(stock);
        try (MongoClient stockClient = MongoClients.create(stockServer.bindAndGetConnectionString())) {
            MongoCollection<Document> c = stockClient.getDatabase("t").getCollection("runs");
            c.createIndex(Indexes.ascending("experiment", "key"), new IndexOptions().unique(true));
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(new Document("_id", "old-" + i).append("experiment", "e").append("key", i));
            }
            c.insertMany(batch);
            c.insertOne(new Document("_id", oid).append("experiment", "o").append("key", 0));
            c.insertOne(new Document("_id", 5L).append("experiment", "l").append("key", 0));
        } finally {
            stockServer.shutdown(); // commits and closes the store
        }

        for (int round = 0; round < 2; round++) { // converting, then converted
            MongoCollection<Document> c = start();
            assertThat(c.countDocuments()).isEqualTo(502 + round);
            assertThat(find(c, "old-123").getInteger("key")).isEqualTo(123);
            assertThat(find(c, oid).getString("experiment")).isEqualTo("o");
            assertThat(find(c, 5L).getString("experiment")).isEqualTo("l");
            assertDuplicateKey(() -> c.insertOne(new Document("_id", "old-7")));
            assertDuplicateKey(() -> c.insertOne(new Document("experiment", "e").append("key", 8)));
            if (round == 0) {
                c.insertOne(new Document("_id", "new").append("experiment", "e").append("key", 1000));
            }
            assertThat(find(c, "new").getInteger("key")).isEqualTo(1000);
            stop();
        }
    }

    @Test
    void the_key_order_is_a_total_order_that_tells_apart_what_differs() {
        Random random = new Random(7);
        List<Object> pool = new ArrayList<>(Arrays.asList(null, 0.0, 1.0, -1.5, Double.NaN, Double.POSITIVE_INFINITY,
                9007199254740993L, 9007199254740992.0, Long.MAX_VALUE, "", "a", "b", "ab", Boolean.TRUE, false,
                new de.bwaldvogel.mongo.bson.ObjectId(), java.time.Instant.ofEpochMilli(5), List.of(), List.of(1.0),
                List.of(1.0, 5.0), List.of(1.0, 3.0), java.util.UUID.randomUUID()));
        pool.add(new de.bwaldvogel.mongo.bson.Document("a", 1.0));
        pool.add(new de.bwaldvogel.mongo.bson.Document("a", List.of(1.0, 5.0)));
        pool.add(new de.bwaldvogel.mongo.bson.Document("a", List.of(1.0, 3.0)));
        pool.add(new de.bwaldvogel.mongo.bson.Document("b", 1.0));
        pool.add(new de.bwaldvogel.mongo.bson.Document(Map.of("a", 1.0)).append("b", 2.0));
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            int n = 1 + random.nextInt(2);
            List<Object> elements = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                elements.add(pool.get(random.nextInt(pool.size())));
            }
            keys.add(new KeyValue(elements));
        }
        for (KeyValue a : keys) {
            for (KeyValue b : keys) {
                int ab = Integer.signum(KeyValueOrder.compare(a, b));
                assertThat(-Integer.signum(KeyValueOrder.compare(b, a))).as("%s %s", a, b).isEqualTo(ab);
                assertThat(ab == 0).as("%s %s", a, b).isEqualTo(a.equals(b));
                for (KeyValue c : keys.subList(0, 40)) {
                    if (ab <= 0 && KeyValueOrder.compare(b, c) <= 0) {
                        assertThat(KeyValueOrder.compare(a, c)).as("%s %s %s", a, b, c).isLessThanOrEqualTo(0);
                    }
                }
            }
        }
    }

    @Test
    void queries_that_pin_a_unique_key_among_other_conditions_find_exactly_the_matches() throws Exception {
        MongoCollection<Document> c = start();
        for (int i = 0; i < 50; i++) {
            c.insertOne(new Document("_id", "r" + i).append("status", i % 2 == 0 ? "pending" : "running").append("token", "t" + i));
        }
        assertThat(c.find(new Document("_id", "r4").append("status", "pending")).first()).isNotNull();
        assertThat(c.find(new Document("_id", "r4").append("status", "running")).first()).isNull();
        assertThat(c.find(com.mongodb.client.model.Filters.and(com.mongodb.client.model.Filters.eq("_id", "r5"),
                com.mongodb.client.model.Filters.eq("token", "t5"), com.mongodb.client.model.Filters.eq("status", "running"))).first())
                .isNotNull();
        assertThat(c.find(com.mongodb.client.model.Filters.and(com.mongodb.client.model.Filters.eq("_id", "r5"),
                com.mongodb.client.model.Filters.eq("token", "stale"))).first()).isNull();
        assertThat(c.find(new Document("_id", new Document("$eq", "r7")).append("token", "t7")).first()).isNotNull();
        assertThat(c.find(new Document("_id", "nope").append("status", "pending")).first()).isNull();
        // a fenced findOneAndUpdate changes only a matching document
        assertThat(c.findOneAndUpdate(new Document("_id", "r9").append("token", "old"), new Document("$set", new Document("x", 1)))).isNull();
        assertThat(c.findOneAndUpdate(new Document("_id", "r9").append("token", "t9"), new Document("$set", new Document("x", 1)))).isNotNull();
        assertThat(c.updateOne(new Document("_id", "r9").append("status", "pending"), new Document("$set", new Document("x", 2)))
                .getModifiedCount()).isZero();
        assertThat(find(c, "r9").getInteger("x")).isEqualTo(1);
        // $in and ranges are not pinned: still answered correctly, by a scan
        assertThat(c.countDocuments(new Document("_id", new Document("$in", java.util.List.of("r1", "r2"))).append("status", "running")))
                .isEqualTo(1);
        // a list of ids alone is taken from the index as it is (not matched again): exactly those that exist, once each
        assertThat(c.find(com.mongodb.client.model.Filters.in("_id", "r3", "missing", "r1", "r3"))
                .projection(new Document("token", 1)).into(new ArrayList<>()))
                .extracting(d -> d.getString("_id") + "/" + d.getString("token") + "/" + d.get("status"))
                .containsExactlyInAnyOrder("r1/t1/null", "r3/t3/null");
        assertThat(DurableCollection.onlyPlainIdsIn(new de.bwaldvogel.mongo.bson.Document("_id",
                new de.bwaldvogel.mongo.bson.Document("$in", java.util.List.of("a", "b"))))).isTrue();
        assertThat(DurableCollection.onlyPlainIdsIn(new de.bwaldvogel.mongo.bson.Document("_id",
                new de.bwaldvogel.mongo.bson.Document("$in", java.util.List.of("a", 1L))))).as("a number: matched as before").isFalse();
        assertThat(DurableCollection.onlyPlainIdsIn(new de.bwaldvogel.mongo.bson.Document("_id",
                new de.bwaldvogel.mongo.bson.Document("$in", java.util.List.of("a"))).append("status", "running")))
                .as("other conditions: matched as before").isFalse();
    }
}
