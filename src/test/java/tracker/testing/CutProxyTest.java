package tracker.testing;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOneModel;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CutProxyTest {
    /**
     * Short, so that a client cut off fails fast: a call after the cut waits out the selection
     * timeout. The connect timeout is also the monitor's read timeout for hello, which took 0.5 s
     * on a cold JVM; the socket timeout only bounds a hang.
     */
    private static final String CLIENT_OPTIONS = "&serverSelectionTimeoutMS=1000&connectTimeoutMS=2000&socketTimeoutMS=3000";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static MongoServer server;
    private static MongoClient direct;
    private MongoCollection<Document> onServer;

    /** A call a command makes; a write leaves a mark the server can be asked about directly. */
    private record Step(String name, Consumer<MongoCollection<Document>> call, Predicate<MongoCollection<Document>> applied) {
        boolean isWrite() {
            return applied != null;
        }
    }

    /** Five writes (three inserts, one of them a batch; a findOneAndUpdate; an updateOne) between reads. */
    private static final List<Step> SCENARIO = List.of(
            new Step("find (read)", c -> c.find().first(), null),
            new Step("insertOne a", c -> c.insertOne(new Document("_id", "a")), c -> exists(c, "a")),
            new Step("count (read)", MongoCollection::countDocuments, null),
            new Step("insertOne b", c -> c.insertOne(new Document("_id", "b")), c -> exists(c, "b")),
            new Step("insertMany c d", c -> c.insertMany(List.of(new Document("_id", "c"), new Document("_id", "d"))),
                    c -> exists(c, "c") && exists(c, "d")),
            new Step("findOneAndUpdate a", c -> c.findOneAndUpdate(eq("_id", "a"), set("n", 1)), c -> has(c, "a", "n")),
            new Step("find a (read)", c -> c.find(eq("_id", "a")).first(), null),
            new Step("updateOne b", c -> c.updateOne(eq("_id", "b"), set("n", 2)), c -> has(c, "b", "n")));
    private static final int SCENARIO_WRITES = 5;

    @BeforeAll
    static void startServer() {
        server = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        direct = MongoClients.create(server.bindAndGetConnectionString() + "/");
        direct.getDatabase("admin").runCommand(new Document("ping", 1)); // warms the server up
    }

    @AfterAll
    static void stopServer() {
        direct.close();
        server.shutdownNow();
    }

    @BeforeEach
    void freshCollection() {
        onServer = direct.getDatabase("cut_" + DATABASES.incrementAndGet()).getCollection("runs");
    }

    @Test
    void uncut_it_is_transparent_and_counts_each_write_command_once_and_no_reads() throws IOException {
        try (CutProxy proxy = proxy(); MongoClient client = clientOf(proxy)) {
            SCENARIO.forEach(step -> step.call().accept(through(client)));

            assertThat(proxy.writes()).isEqualTo(SCENARIO_WRITES);
            assertThat(proxy.cut()).isFalse();
            assertThat(SCENARIO).allMatch(s -> !s.isWrite() || s.applied().test(onServer));
        }
    }

    @Test
    void cut_after_k_applies_exactly_k_writes_and_fails_the_call_of_the_kth_for_every_k() throws IOException {
        try (CutProxy proxy = proxy()) {
            for (int k = 0; k <= SCENARIO_WRITES; k++) {
                freshCollection();
                proxy.reset();
                proxy.cutAfter(k);
                try (MongoClient client = clientOf(proxy)) {
                    int failedAtWrite = 0; // the number of the write whose call failed
                    Throwable failure = null;
                    int write = 0;
                    for (Step step : SCENARIO) {
                        write += step.isWrite() ? 1 : 0;
                        failure = catchThrowable(() -> step.call().accept(through(client)));
                        if (failure != null) {
                            assertThat(step.isWrite()).as("k=%d: a read failed: %s", k, step.name()).isTrue();
                            failedAtWrite = write;
                            break;
                        }
                    }

                    assertThat(failure).as("k=%d", k).isInstanceOf(MongoSocketReadException.class);
                    assertThat(failedAtWrite).as("k=%d", k).isEqualTo(Math.max(k, 1));
                    assertThat(proxy.cut()).isTrue();
                    assertThat(proxy.writes()).isEqualTo(k);
                    assertThat(appliedWrites()).as("k=%d: writes applied on the server", k).isEqualTo(firstWrites(k));
                }
            }
        }
    }

    @Test
    void a_batch_insert_and_a_bulk_update_of_several_statements_are_one_write_each() throws IOException {
        try (CutProxy proxy = proxy(); MongoClient client = clientOf(proxy)) {
            MongoCollection<Document> runs = through(client);
            runs.insertMany(List.of(new Document("_id", 1), new Document("_id", 2), new Document("_id", 3)));
            assertThat(proxy.writes()).isEqualTo(1);

            proxy.cutAfter(2);
            assertThatThrownBy(() -> runs.bulkWrite(List.of(
                    new UpdateOneModel<>(eq("_id", 1), set("n", 1)),
                    new UpdateOneModel<>(eq("_id", 2), set("n", 2)),
                    new UpdateOneModel<>(eq("_id", 3), set("n", 3)))))
                    .isInstanceOf(MongoSocketReadException.class);
            assertThat(proxy.writes()).isEqualTo(2);
            assertThat(onServer.countDocuments(eq("n", new Document("$exists", true)))).isEqualTo(3);
        }
    }

    @Test
    void command_names_count_in_any_case() throws IOException {
        try (CutProxy proxy = proxy(); MongoClient client = clientOf(proxy)) {
            through(client).insertOne(new Document("_id", "a"));
            client.getDatabase(onServer.getNamespace().getDatabaseName()).runCommand(new Document("findandmodify", "runs")
                    .append("query", new Document("_id", "a")).append("update", new Document("$set", new Document("n", 1))));

            assertThat(proxy.writes()).isEqualTo(2);
            assertThat(has(onServer, "a", "n")).isTrue();
        }
        assertThat(CutProxy.isWrite("findAndModify")).isTrue();
        assertThat(CutProxy.isWrite("createIndexes")).isTrue();
        assertThat(CutProxy.isWrite("dropDatabase")).isTrue();
        assertThat(CutProxy.isWrite("aggregate")).isFalse();
        assertThat(CutProxy.isWrite("hello")).isFalse();
    }

    @Test
    void after_the_cut_every_connection_is_closed_and_new_ones_are_refused() throws IOException {
        try (CutProxy proxy = proxy(); MongoClient writer = clientOf(proxy); MongoClient reader = clientOf(proxy)) {
            through(reader).find().first(); // the reader holds an open, idle connection
            proxy.cutAfter(1);

            assertThatThrownBy(() -> through(writer).insertOne(new Document("_id", "a")))
                    .isInstanceOf(MongoSocketReadException.class);
            // The reader's idle connection was closed: its read fails on it, is retried once (retryable
            // reads, even on a standalone), finds no server and reports the first error after the
            // selection timeout; had its monitor noticed first, it would be a timeout outright.
            assertThatThrownBy(() -> through(reader).find().first()).isInstanceOf(MongoException.class);
            // The writer's driver marked the server unknown on the cut; every reconnection is refused.
            assertThatThrownBy(() -> through(writer).insertOne(new Document("_id", "b")))
                    .isInstanceOf(MongoTimeoutException.class);
            try (MongoClient late = clientOf(proxy)) {
                assertThatThrownBy(() -> through(late).insertOne(new Document("_id", "c")))
                        .isInstanceOf(MongoTimeoutException.class);
            }

            assertThat(proxy.writes()).isEqualTo(1);
            assertThat(onServer.find().map(d -> d.getString("_id")).into(new ArrayList<>())).containsExactly("a");
        }
    }

    @Test
    void close_ends_every_thread_of_the_proxy() throws IOException {
        CutProxy proxy = proxy();
        String prefix = proxy.threadPrefix();
        try (MongoClient client = clientOf(proxy)) {
            through(client).insertOne(new Document("_id", "a"));
            assertThat(threadsNamed(prefix)).isNotEmpty();
            proxy.close();
        }
        assertThat(threadsNamed(prefix)).isEmpty();
    }

    @Test
    void the_client_uri_keeps_credentials_path_and_options_and_connects_directly() throws IOException {
        try (CutProxy proxy = CutProxy.to("mongodb://u:p%40ss@localhost:1/db?authSource=admin&directConnection=false")) {
            assertThat(proxy.uri()).matches("mongodb://u:p%40ss@127\\.0\\.0\\.1:\\d+/db\\?authSource=admin&directConnection=true");
        }
        assertThatThrownBy(() -> CutProxy.to("mongodb://a:1,b:2/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CutProxy.to("mongodb://a:1/?compressors=zlib")).isInstanceOf(IllegalArgumentException.class);
    }

    private static CutProxy proxy() throws IOException {
        return CutProxy.to(server.bindAndGetConnectionString() + "/");
    }

    private static MongoClient clientOf(CutProxy proxy) {
        return MongoClients.create(proxy.uri() + CLIENT_OPTIONS);
    }

    private MongoCollection<Document> through(MongoClient client) {
        return client.getDatabase(onServer.getNamespace().getDatabaseName()).getCollection("runs");
    }

    /** For each write of the scenario, in order, whether the server has applied it. */
    private List<Boolean> appliedWrites() {
        return SCENARIO.stream().filter(Step::isWrite).map(s -> s.applied().test(onServer)).toList();
    }

    private static List<Boolean> firstWrites(int k) {
        List<Boolean> expected = new ArrayList<>();
        for (int i = 1; i <= SCENARIO_WRITES; i++) {
            expected.add(i <= k);
        }
        return expected;
    }

    private static boolean exists(MongoCollection<Document> c, String id) {
        return c.countDocuments(eq("_id", id)) == 1;
    }

    private static boolean has(MongoCollection<Document> c, String id, String field) {
        Document d = c.find(eq("_id", id)).first();
        return d != null && d.containsKey(field);
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
    }
}
