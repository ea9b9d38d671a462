package tracker.testing;

import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import tracker.embedded.InMemoryServer;

/**
 * A database for one test class: the embedded server's backend in memory ({@link InMemoryServer}:
 * the same rules as the real embedded database, e.g. its 16 MiB document limit) by default, or the
 * real MongoDB given by {@code -Dtracker.test.uri=mongodb://...}. Each class gets a database of
 * its own name, dropped afterwards, so runs against a shared real server do not collide.
 *
 * <pre>
 * &#64;RegisterExtension static final TestDatabase DB = new TestDatabase();
 * </pre>
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
    private InMemoryServer server;
    private MongoClient client;
    private String uri;
    private String name;

    public static String externalUri() {
        String u = System.getProperty("tracker.test.uri", "");
        return u.isBlank() ? null : u;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        uri = externalUri();
        if (uri == null) {
            server = InMemoryServer.start();
            uri = server.uri();
        }
        name = "t_" + context.getRequiredTestClass().getSimpleName().toLowerCase() + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        client = MongoClients.create(uri);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.getDatabase(name).drop();
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public String uri() {
        return uri;
    }

    public String name() {
        return name;
    }

    /** Direct access for assertions on what commands stored. */
    public MongoDatabase mongo() {
        return client.getDatabase(name);
    }
}
