package tracker.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * The embedded backend in memory and a driver client of it, for one test class. Unlike TestDatabase
 * it never points at the real MongoDB of {@code -Dtracker.test.uri}: these tests are about this backend.
 *
 * <pre>
 * &#64;RegisterExtension static final InMemoryBackend BACKEND = new InMemoryBackend();
 * </pre>
 */
final class InMemoryBackend implements BeforeAllCallback, AfterAllCallback {
    private InMemoryServer server;
    private MongoClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = InMemoryServer.start();
        client = MongoClients.create(server.uri());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        server.close();
    }

    MongoClient client() {
        return client;
    }
}
