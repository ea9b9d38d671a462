package tracker.embedded;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;

/**
 * The embedded server's backend - the same rules as the real one (document size limit, unique
 * indexes, what is and is not supported) - over an MVStore in memory, without authentication, for
 * tests: each test class starts one and drops it afterwards. Nothing reaches a disk, and only the
 * process that started it knows its port.
 */
public final class InMemoryServer implements AutoCloseable {
    private final MongoServer server;
    private final String uri;

    private InMemoryServer(MongoServer server, String uri) {
        this.server = server;
        this.uri = uri;
    }

    /** Listens on a free loopback port. */
    public static InMemoryServer start() {
        MVStore store = new MVStore.Builder().open(); // no file name: in memory
        MongoServer server = new MongoServer(DurableH2Backend.over(store, null, new StoreFailure("memory")));
        return new InMemoryServer(server, server.bindAndGetConnectionString() + "/");
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
