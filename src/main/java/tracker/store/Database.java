package tracker.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.config.Settings;
import tracker.embedded.ServerInfo;
import tracker.embedded.ServerManager;

/**
 * One open connection to the database that a command works on: a remote MongoDB given by URI, or
 * the embedded default (started on first use). The URI's credentials never leave this class:
 * messages name {@link #hosts()} only.
 *
 * <p>A long-lived worker calls {@link #reconnect()} when the database went away: for the embedded
 * default that restarts the server (as any short command would) and reconnects if it came back on
 * another port; a remote MongoDB's driver reconnects by itself.
 */
public final class Database implements AutoCloseable {
    /**
     * A read or write that gets no reply for this long fails (exit 5) instead of hanging: no query
     * of tracker's takes seconds (reports read small per-cell documents, exports read in batches).
     */
    static final long SOCKET_TIMEOUT_MILLIS = 60_000;

    private final Settings settings;
    private final Map<String, String> env;
    private final String source;
    private volatile Connection connection;
    /** Clients of earlier connections: other threads may still be finishing a call on them. */
    private final java.util.List<MongoClient> retired = new java.util.ArrayList<>();

    /** The driver's objects for one server address; replaced as a whole by a reconnect. */
    private record Connection(MongoClient client, MongoDatabase db, Collections collections, ServerClock clock, String hosts,
                              ServerInfo embedded) {
    }

    private Database(Settings settings, Map<String, String> env, String source, Connection connection) {
        this.settings = settings;
        this.env = env;
        this.source = source;
        this.connection = connection;
    }

    /** Opens the configured database; starts the embedded one when no URI is configured. */
    public static Database open(Settings settings, Map<String, String> env) {
        if (settings.embedded()) {
            return new Database(settings, env, "embedded", connect(startEmbedded(settings, env), "embedded", settings));
        }
        return new Database(settings, env, settings.uriSource(), connect(settings.uri(), settings.uriSource(), settings, null, null));
    }

    /** The embedded server, running, and the credential its data directory's secret gives. */
    private record Embedded(ServerInfo info, MongoCredential credential) {
    }

    private static Connection connect(Embedded e, String source, Settings settings) {
        return connect(e.info().uri(), source, settings, e.info(), e.credential());
    }

    private static Embedded startEmbedded(Settings settings, Map<String, String> env) {
        ServerManager manager = new ServerManager(settings.home(), env);
        ServerInfo info = manager.ensureRunning(ServerManager.StartOptions.defaults(settings.port(), settings.idleTimeout()));
        return new Embedded(info, manager.credential());
    }

    private static Connection connect(String uri, String source, Settings settings, ServerInfo embedded, MongoCredential credential) {
        ConnectionString cs = parse(uri, source);
        Duration timeout = settings.connectTimeout();
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(cs);
        if (credential != null) {
            b.credential(credential); // the embedded server's secret (see tracker.embedded.ServerSecret)
        }
        // The driver waits 30 s for a server by default; a worker in a batch job should learn
        // within seconds that the database is unreachable. Explicit URI options still win.
        if (cs.getServerSelectionTimeout() == null) {
            b.applyToClusterSettings(c -> c.serverSelectionTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        if (cs.getConnectTimeout() == null) {
            b.applyToSocketSettings(s -> s.connectTimeout((int) Math.min(timeout.toMillis(), 10_000), TimeUnit.MILLISECONDS));
        }
        if (cs.getSocketTimeout() == null) {
            b.applyToSocketSettings(s -> s.readTimeout(SOCKET_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        }
        String hosts = Redaction.hosts(cs);
        MongoClient client = MongoClients.create(b.build());
        MongoDatabase db = client.getDatabase(settings.database());
        ServerClock clock;
        try {
            clock = StoreErrors.guard(hosts, () -> ServerClock.measure(client.getDatabase("admin")));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new Connection(client, db, new Collections(db), clock, hosts, embedded);
    }

    /** A malformed URI is a usage error; the message must not echo the URI (it may hold a password). */
    static ConnectionString parse(String uri, String source) {
        try {
            return new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new TrackerException(ExitCode.USAGE, "malformed MongoDB URI from " + source + ": "
                    + Redaction.scrub(e.getMessage(), uri).trim(),
                    "write it as mongodb://[user:password@]host[:port][/?options] or mongodb+srv://...");
        }
    }

    /**
     * After the database went away: makes sure the embedded server runs (starting it again if it
     * died) and points this connection at it. Exit 5 when it cannot be reached.
     */
    public synchronized void reconnect() {
        Connection old = connection;
        if (old.embedded() == null) {
            return; // the driver finds a remote server (or a new primary) again by itself
        }
        Embedded e = StoreErrors.guard(old.hosts(), () -> startEmbedded(settings, env));
        if (e.info().uri().equals(old.embedded().uri()) && e.info().pid() == old.embedded().pid()) {
            return;
        }
        connection = connect(e, source, settings);
        retired.add(old.client());
    }

    /** host:port list, for messages; never credentials. */
    public String hosts() {
        return connection.hosts();
    }

    public String name() {
        return connection.db().getName();
    }

    /** The embedded server behind this connection, or null for a remote MongoDB. */
    public ServerInfo embedded() {
        return connection.embedded();
    }

    /** The server's clock, on which leases are judged. */
    public ServerClock clock() {
        return connection.clock();
    }

    /** For the store's own classes: the collections, opened with their read and write concerns. */
    Collections collections() {
        return connection.collections();
    }

    /** For the store's own classes: the driver's handle on the database. */
    MongoDatabase mongo() {
        return connection.db();
    }

    /** Round trip of a {@code ping} and the server's version. */
    public Ping ping() {
        Connection c = connection;
        return StoreErrors.guard(c.hosts(), () -> {
            long t0 = System.nanoTime();
            c.db().runCommand(new Document("ping", 1));
            double millis = (System.nanoTime() - t0) / 1e6;
            Document info = c.client().getDatabase("admin").runCommand(new Document("buildInfo", 1));
            return new Ping(c.hosts(), c.db().getName(), info.getString("version"), millis, c.embedded() != null);
        });
    }

    @Override
    public synchronized void close() {
        retired.forEach(MongoClient::close);
        connection.client().close();
    }

    public record Ping(String hosts, String database, String serverVersion, double roundTripMillis, boolean embedded) {
    }
}
