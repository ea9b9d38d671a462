package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/** The embedded server admits only clients that know the secret in its data directory, on every protocol path. */
class AuthenticationTest {
    @TempDir
    Path home;

    private EmbeddedServer server;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedServer.start(home, "127.0.0.1", 0, Duration.ZERO, "test");
        try (MongoClient owner = MongoClients.create(server.clientUri())) {
            owner.getDatabase("t").getCollection("runs").insertOne(new Document("_id", "r1").append("secret", "data"));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MongoClient client(MongoCredential credential, String options) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.info().uri() + options));
        if (credential != null) {
            b.credential(credential);
        }
        return MongoClients.create(b.build());
    }

    private String secret() throws Exception {
        return Files.readString(new ServerFiles(home).secret()).strip();
    }

    @Test
    void the_secret_is_a_private_file_and_stays_the_same_across_restarts() throws Exception {
        Path file = new ServerFiles(home).secret();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String before = secret();
        assertThat(before).matches("[A-Za-z0-9_-]{43}");
        server.close();
        server = EmbeddedServer.start(home, "127.0.0.1", 0, Duration.ZERO, "test");
        assertThat(secret()).isEqualTo(before);
        try (MongoClient owner = MongoClients.create(server.clientUri())) {
            assertThat(owner.getDatabase("t").getCollection("runs").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void without_credentials_only_the_handshake_commands_run() {
        try (MongoClient stranger = client(null, "")) {
            MongoDatabase db = stranger.getDatabase("t");
            assertThat(db.runCommand(new Document("ping", 1)).get("ok")).isEqualTo(1.0);
            assertThat(stranger.getDatabase("admin").runCommand(new Document("buildInfo", 1)).getString("version")).isNotBlank();
            assertThat(db.runCommand(new Document("isMaster", 1)).get("ismaster")).isEqualTo(true);
            for (Runnable refused : List.<Runnable>of(
                    () -> db.getCollection("runs").find().first(),
                    () -> db.getCollection("runs").insertOne(new Document("_id", "intruder")),
                    () -> db.getCollection("runs").deleteMany(new Document()),
                    () -> stranger.listDatabaseNames().first(),
                    () -> db.runCommand(new Document("serverStatus", 1)),
                    () -> db.drop())) {
                assertThatThrownBy(refused::run).isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(13);
                    assertThat(e.getErrorCodeName()).isEqualTo("Unauthorized");
                    assertThat(e.getErrorMessage()).contains("requires authentication")
                            .contains("admits only the user who owns its data directory " + home);
                });
            }
        }
        try (MongoClient owner = MongoClients.create(server.clientUri())) {
            assertThat(owner.getDatabase("t").getCollection("runs").find().into(new java.util.ArrayList<>()))
                    .containsExactly(new Document("_id", "r1").append("secret", "data"));
        }
    }

    @Test
    void a_wrong_secret_or_user_or_mechanism_is_refused() throws Exception {
        char[] secret = secret().toCharArray();
        for (MongoCredential wrong : List.of(
                MongoCredential.createScramSha256Credential("tracker", "admin", "not-the-secret".toCharArray()),
                MongoCredential.createScramSha256Credential("alice", "admin", secret),
                MongoCredential.createScramSha1Credential("tracker", "admin", secret))) {
            try (MongoClient client = client(wrong, "")) {
                assertThatThrownBy(() -> client.getDatabase("t").getCollection("runs").find().first())
                        .as(wrong.toString()).isInstanceOf(MongoSecurityException.class);
            }
        }
    }

    @Test
    void the_credentials_of_the_data_directory_admit_through_any_auth_source() throws Exception {
        MongoCredential credential = MongoCredential.createScramSha256Credential("tracker", "tracker", secret().toCharArray());
        try (MongoClient client = client(credential, "")) {
            assertThat(client.getDatabase("t").getCollection("runs").countDocuments()).isEqualTo(1);
        }
    }

    /**
     * The conversation as a client without speculative authentication has it (saslStart, then
     * saslContinue, then the empty last exchange), by hand on a single connection.
     */
    @Test
    void a_plain_sasl_conversation_with_the_empty_last_exchange_authenticates_its_connection() throws Exception {
        try (MongoClient single = client(null, "?maxPoolSize=1")) {
            MongoDatabase admin = single.getDatabase("admin");
            MongoDatabase db = single.getDatabase("t");
            assertThatThrownBy(() -> db.getCollection("runs").countDocuments()).isInstanceOf(MongoCommandException.class);

            ScramClient scram = new ScramClient("tracker", secret());
            Document first = admin.runCommand(new Document("saslStart", 1).append("mechanism", "SCRAM-SHA-256")
                    .append("payload", new Binary(scram.first())));
            assertThat(first.getBoolean("done")).isFalse();
            Document second = admin.runCommand(new Document("saslContinue", 1).append("conversationId", first.get("conversationId"))
                    .append("payload", new Binary(scram.proof(first.get("payload", Binary.class).getData()))));
            assertThat(scram.iterations).isGreaterThanOrEqualTo(4096);
            assertThat(second.getBoolean("done")).isFalse(); // no skipEmptyExchange asked for
            assertThat(new String(second.get("payload", Binary.class).getData(), StandardCharsets.UTF_8))
                    .isEqualTo(scram.expectedServerFinal());
            Document third = admin.runCommand(new Document("saslContinue", 1).append("conversationId", 1)
                    .append("payload", new Binary(new byte[0])));
            assertThat(third.getBoolean("done")).isTrue();

            assertThat(db.getCollection("runs").countDocuments()).isEqualTo(1);
        }
    }

    /** As a driver that knows its credentials starts: the first SCRAM message rides in the hello. */
    @Test
    void speculative_authentication_in_the_hello_and_then_op_query_reads_work() throws Exception {
        ServerInfo info = server.info();
        ScramClient scram = new ScramClient("tracker", secret());
        try (LegacyWire wire = new LegacyWire(info.connectHost(), info.port())) {
            BsonDocument hello = wire.query("admin.$cmd", new BsonDocument("isMaster", new BsonInt32(1))
                    .append("speculativeAuthenticate", new BsonDocument("saslStart", new BsonInt32(1))
                            .append("mechanism", new BsonString("SCRAM-SHA-256"))
                            .append("payload", new BsonBinary(scram.first()))
                            .append("db", new BsonString("admin"))
                            .append("options", new BsonDocument("skipEmptyExchange", BsonBoolean.TRUE)))).get(0);
            BsonDocument started = hello.getDocument("speculativeAuthenticate");
            BsonDocument done = wire.query("admin.$cmd", new BsonDocument("saslContinue", new BsonInt32(1))
                    .append("conversationId", started.get("conversationId"))
                    .append("payload", new BsonBinary(scram.proof(started.getBinary("payload").getData())))).get(0);
            assertThat(done.getBoolean("done").getValue()).isTrue(); // skipEmptyExchange: the signature ends it
            assertThat(new String(done.getBinary("payload").getData(), StandardCharsets.UTF_8)).isEqualTo(scram.expectedServerFinal());
            List<BsonDocument> found = wire.query("t.runs", new BsonDocument());
            assertThat(found).singleElement().satisfies(d -> assertThat(d.getString("secret").getValue()).isEqualTo("data"));
        }
    }

    @Test
    void a_secret_that_belongs_to_another_user_is_refused_before_connecting() throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "skipped: giving a file to another user needs root");
        Path file = new ServerFiles(home).secret();
        Files.setAttribute(file, "unix:uid", 65534);
        assertThatThrownBy(() -> new ServerManager(home, java.util.Map.of()).credential())
                .isInstanceOfSatisfying(tracker.TrackerException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(tracker.ExitCode.UNREACHABLE);
                    assertThat(e.getMessage()).isEqualTo("the embedded database in " + home + " belongs to user nobody (uid 65534)");
                });
    }

    @Test
    void a_damaged_secret_is_replaced_by_the_next_server() throws Exception {
        server.close();
        Files.writeString(new ServerFiles(home).secret(), "half a secr");
        server = EmbeddedServer.start(home, "127.0.0.1", 0, Duration.ZERO, "test");
        assertThat(secret()).matches("[A-Za-z0-9_-]{43}");
        try (MongoClient owner = MongoClients.create(server.clientUri())) {
            assertThat(owner.getDatabase("t").getCollection("runs").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void the_legacy_op_query_protocol_offers_no_way_around_it() throws Exception {
        ServerInfo info = server.info();
        try (LegacyWire wire = new LegacyWire(info.connectHost(), info.port())) {
            assertThat(wire.query("admin.$cmd", new BsonDocument("ping", new BsonInt32(1)))).singleElement()
                    .satisfies(d -> assertThat(d.getNumber("ok").intValue()).isEqualTo(1));
        }
        // mongo-java-server answers a failed OP_QUERY by closing the connection: refused, nothing returned
        // (without the gate, each of these returns the stored document or the server's status).
        for (String[] request : new String[][] {{"t.$cmd", "{\"find\": \"runs\"}"}, {"t.runs", "{}"},
                {"admin.$cmd", "{\"serverStatus\": 1}"}, {"admin.$cmd.sys.inprog", "{}"}}) {
            try (LegacyWire wire = new LegacyWire(info.connectHost(), info.port())) {
                assertThat(wire.query(request[0], BsonDocument.parse(request[1]))).as(request[0] + " " + request[1]).isNull();
            }
        }
    }
}
