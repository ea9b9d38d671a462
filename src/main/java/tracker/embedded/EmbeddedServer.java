package tracker.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import de.bwaldvogel.mongo.MongoServer;
import tracker.ExitCode;
import tracker.TrackerException;
import tracker.util.PrivateFiles;

/**
 * The embedded default database, as run by {@code tracker server start --foreground}: the
 * mongo-java-server wire protocol over a durable H2 store in the data directory. It publishes
 * {@code server.json} once it listens and stops by itself when no client has used it for the
 * idle timeout.
 */
public final class EmbeddedServer implements AutoCloseable {
    /** How long a server whose store failed keeps its connections, for its error replies to reach the clients. */
    private static final Duration REPLY_GRACE = Duration.ofMillis(500);

    private final ServerFiles files;
    private final MongoServer server;
    private final DurableH2Backend backend;
    private final ServerInfo info;
    private final Duration idleTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private EmbeddedServer(ServerFiles files, MongoServer server, DurableH2Backend backend, ServerInfo info,
                           Duration idleTimeout) {
        this.files = files;
        this.server = server;
        this.backend = backend;
        this.info = info;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Opens the store and listens.
     *
     * @param idleTimeout zero or negative: never stop for idleness
     */
    public static EmbeddedServer start(Path home, String bindHost, int port, Duration idleTimeout, String version)
            throws IOException {
        ServerFiles files = new ServerFiles(PrivateFiles.directory(home));
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(files.data().toString()).open();
        } catch (MVStoreException e) {
            ServerInfo other = ServerInfo.read(files.info());
            throw new TrackerException(ExitCode.CONFLICT, "cannot open " + files.data() + ": " + firstLine(e.getMessage()),
                    other != null ? "another tracker server (pid " + other.pid() + ") uses it; run 'tracker server stop'"
                            : "is another tracker server using " + home + "?", e);
        }
        ServerSecret secret;
        try {
            secret = ServerSecret.createIfMissing(files.secret());
        } catch (IOException e) {
            store.close();
            throw e;
        }
        StoreFailure storeFailure = new StoreFailure(home.toString());
        DurableH2Backend backend = DurableH2Backend.over(store, new Authentication(secret.storedCredential(), home.toString()),
                storeFailure);
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
        } catch (RuntimeException e) {
            server.shutdownNow();
            throw new TrackerException(ExitCode.CONFLICT, "cannot listen on " + bindHost + ":" + port + ": "
                    + firstLine(String.valueOf(e.getMessage())), "choose another port with --port, or 0 for any free one", e);
        }
        InetSocketAddress bound = server.getLocalAddress();
        ServerInfo info = new ServerInfo(ProcessHandle.current().pid(), bound.getAddress().getHostAddress(),
                bound.getPort(), home.toString(), Instant.now().toString(), version, Math.max(0, idleTimeout.toMillis()));
        PrivateFiles.writeAtomically(files.info(), info.toJson());
        EmbeddedServer embedded = new EmbeddedServer(files, server, backend, info, idleTimeout);
        storeFailure.whenFailed(embedded::stopAfterStoreFailure);
        if (!idleTimeout.isZero() && !idleTimeout.isNegative()) {
            Thread watcher = new Thread(embedded::watchIdle, "tracker-idle-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        return embedded;
    }

    public ServerInfo info() {
        return info;
    }

    /** The URI with the credentials in it, for clients in this process (the launcher's training run, benchmarks, tests). */
    public String clientUri() {
        return ServerSecret.read(files).uri(info);
    }

    /** Blocks until {@link #close()} ran (by the idle watcher, a signal's shutdown hook, or a caller). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void watchIdle() {
        long idleNanos = idleTimeout.toNanos();
        long pollMillis = Math.max(200, Math.min(5000, idleTimeout.toMillis() / 4));
        try {
            while (!closed) {
                Thread.sleep(pollMillis);
                if (backend.openConnections() > 0 || backend.nanosSinceLastActivity() < idleNanos) {
                    continue;
                }
                // No connection and no command for the idle time. A client process that found this
                // server but has not connected yet holds use.lock shared: only stop when nobody does,
                // and keep it exclusively until the file that points clients here is gone.
                FileLock lock = ProcessLocks.tryExclusive(files.useLock());
                if (lock == null) {
                    continue;
                }
                try {
                    System.err.println(Instant.now() + " idle for " + idleTimeout + ", stopping");
                    close();
                } finally {
                    lock.release();
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println(Instant.now() + " idle watch failed: " + e);
        }
    }

    /**
     * After the store failed ({@link StoreFailure}): new clients must not find this server any more
     * (they start a new one, which reopens the store), and the clients connected now get the error
     * replies already on their way before the connections close.
     */
    private void stopAfterStoreFailure() {
        unpublish();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(REPLY_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }, "tracker-store-failed");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Stops listening, unpublishes itself, commits and closes the store. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stopListening();
            unpublish();
        } finally {
            server.shutdown(); // closes the connections and the backend, which commits and closes the store
            stopped.countDown();
        }
    }

    /** Removes server.json, unless it is already another server's. */
    private void unpublish() {
        try {
            ServerInfo current = ServerInfo.read(files.info());
            if (current != null && current.pid() == info.pid() && current.port() == info.port()) {
                Files.deleteIfExists(files.info());
            }
        } catch (IOException e) {
            System.err.println(Instant.now() + " cannot remove " + files.info() + ": " + e);
        }
    }


    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
