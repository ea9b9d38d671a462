package tracker.testing;

import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
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
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** A database of its own for every test (an instance field): for tests about the whole database. */
    private final boolean perTest;
    private InMemoryServer server;
    private MongoClient client;
    private String uri;
    private String name;

    public TestDatabase() {
        this(false);
    }

    private TestDatabase(boolean perTest) {
        this.perTest = perTest;
    }

    /** {@code @RegisterExtension final TestDatabase db = TestDatabase.perTest();} */
    public static TestDatabase perTest() {
        return new TestDatabase(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            start(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    public static String externalUri() {
        String u = System.getProperty("tracker.test.uri", "");
        return u.isBlank() ? null : u;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            start(context);
        }
    }

    private void start(ExtensionContext context) {
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
        if (!perTest) {
            stop();
        }
    }

    private void stop() {
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
