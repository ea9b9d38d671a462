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
 */
public final class Database implements AutoCloseable {
    private final MongoClient client;
    private final MongoDatabase db;
    private final String hosts;
    private final ServerInfo embedded;

    private Database(MongoClient client, MongoDatabase db, String hosts, ServerInfo embedded) {
        this.client = client;
        this.db = db;
        this.hosts = hosts;
        this.embedded = embedded;
    }

    /** Opens the configured database; starts the embedded one when no URI is configured. */
    public static Database open(Settings settings, Map<String, String> env) {
        if (settings.embedded()) {
            ServerManager manager = new ServerManager(settings.home(), env);
            ServerInfo info = manager.ensureRunning(ServerManager.StartOptions.defaults(settings.port(), settings.idleTimeout()));
            return connect(info.uri(), "embedded", settings.database(), settings.connectTimeout(), info, manager.credential());
        }
        return connect(settings.uri(), settings.uriSource(), settings.database(), settings.connectTimeout(), null, null);
    }

    private static Database connect(String uri, String source, String database, Duration timeout, ServerInfo embedded,
                                    MongoCredential credential) {
        ConnectionString cs = parse(uri, source);
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
        String hosts = Redaction.hosts(cs);
        MongoClient client = MongoClients.create(b.build());
        return new Database(client, client.getDatabase(database), hosts, embedded);
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

    /** host:port list, for messages; never credentials. */
    public String hosts() {
        return hosts;
    }

    public String name() {
        return db.getName();
    }

    /** The embedded server behind this connection, or null for a remote MongoDB. */
    public ServerInfo embedded() {
        return embedded;
    }

    /** For the store's own classes: the driver's handle on the database. */
    public MongoDatabase mongo() {
        return db;
    }

    /** Round trip of a {@code ping} and the server's version. */
    public Ping ping() {
        return StoreErrors.guard(hosts, () -> {
            long t0 = System.nanoTime();
            db.runCommand(new Document("ping", 1));
            double millis = (System.nanoTime() - t0) / 1e6;
            Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            return new Ping(hosts, db.getName(), info.getString("version"), millis, embedded != null);
        });
    }

    @Override
    public void close() {
        client.close();
    }

    public record Ping(String hosts, String database, String serverVersion, double roundTripMillis, boolean embedded) {
    }
}
