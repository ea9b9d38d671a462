package tracker.embedded;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

/**
 * The H2 backend, made durable: the stock backend commits in the background once a second, so a
 * {@code kill -9} of the server lost up to a second of acknowledged writes. Here every command
 * that changed something is committed and synced before its reply is sent. Concurrent writers
 * share commits: a commit covers every change made so far, so the next writer's commit finds
 * nothing left to do.
 *
 * <p>Unlike the stock backend, it does not Java-serialize what it stores: unique indexes (at least
 * {@code _id}) have keys of {@link KeyValueDataType}, compared without serializing them, and
 * collections store their documents as BSON ({@link DocumentDataType}). Both describe their part of
 * the file format; stores written by the stock backend are still read.
 *
 * <p>It admits only authenticated connections ({@link Authentication}), on every path a request can
 * take: commands over OP_MSG and OP_QUERY ({@link #handleCommand}), legacy OP_QUERY queries
 * ({@link #handleQuery}, {@link #getCurrentOperations}) and OP_QUERY's serverStatus
 * ({@link #getServerStatus}).
 *
 * <p>It also counts open client connections and the time of the last command, for the idle stop.
 */
final class DurableH2Backend extends H2Backend {
    private final MVStore store;
    private final Authentication authentication;
    private final StoreFailure storeFailure;
    private volatile Throwable failedWith;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    private DurableH2Backend(MVStore store, Authentication authentication, StoreFailure storeFailure) {
        super(store);
        this.store = store;
        this.authentication = authentication;
        this.storeFailure = storeFailure;
    }

    /**
     * The backend over {@code store}, speaking as MongoDB 5.0.
     *
     * @param storeFailure what to answer and do once the store cannot write
     * @param authentication null: everyone is admitted (the in-memory test database, which has no
     *                       data directory and is reachable only by the tests that start it)
     */
    static DurableH2Backend over(MVStore store, Authentication authentication, StoreFailure storeFailure) {
        // Old versions are kept only for concurrent readers; with a commit per write, H2's default
        // retention made the file grow without bound (535 MB after 15k small writes).
        store.setRetentionTime(0);
        DurableH2Backend backend = new DurableH2Backend(store, authentication, storeFailure);
        backend.version(ServerVersion.MONGO_5_0);
        return backend;
    }

    /** As {@link H2Backend}'s, with {@link Database}. */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * An {@link H2Database} whose collections ({@link DurableCollection}) store documents with {@link DocumentDataType} and whose
     * unique indexes are {@link DurableUniqueIndex}es, in the maps of the names that H2Database uses
     * (and removes in drop, dropCollection, dropIndex and renames in moveCollection, where it opens
     * them by name only: it then gets these already open maps, with their data types):
     * {@code databases.<db>.<collection>}, {@code meta.<db>.<collection>} and
     * {@code <db>.<collection>._index_<index>}.
     *
     * <p>An inner class on purpose: H2Database's constructor already opens the indexes, before a
     * field of a subclass could be set, but the enclosing instance is available then. It is used only
     * for H2Backend's store, which H2Backend sets before it opens the existing databases (from its
     * constructor, so before this class's own fields are set too).
     */
    private final class Database extends H2Database {
        Database(String databaseName) {
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> data = getMvStore().openMap("databases." + namespace,
                    new MVMap.Builder<Object, Document>().valueType(new DocumentDataType()));
            MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
            return new DurableCollection(this, collectionName, options, data, meta, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            String mapName = getFullCollectionNamespace(collectionName) + "._index_" + indexName;
            return DurableUniqueIndex.open(getMvStore(), mapName, indexName, keys, sparse);
        }
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (channel != null) {
            channels.add(channel);
        }
        lastActivity.set(System.nanoTime());
        if (authentication != null) {
            Document reply = authentication.intercept(channel, command, query);
            if (reply != null) {
                return reply;
            }
            if (command.equalsIgnoreCase("serverStatus")) {
                return super.getServerStatus(); // ours refuses: see getServerStatus()
            }
        }
        try {
            Document reply = super.handleCommand(channel, databaseName, command, query);
            if (authentication != null && (command.equalsIgnoreCase("isMaster") || command.equalsIgnoreCase("hello"))) {
                authentication.speculate(channel, query, reply);
            }
            return reply;
        } finally {
            // The handshake never touches the store: a client can still connect to a server whose
            // store has failed, and the command after it learns why (not a "cannot connect").
            if (!Authentication.isHandshake(command)) {
                commitOrFail();
            }
        }
    }

    /**
     * Commits and syncs what the command changed before its reply goes out. When the store has
     * failed - now, in another command's commit, or in one of H2's own writes - the command fails
     * with the {@link StoreFailure} error instead (whatever else it was about to answer).
     */
    private void commitOrFail() {
        try {
            if (store.hasUnsavedChanges()) {
                synchronized (this) {
                    if (store.hasUnsavedChanges()) {
                        store.commit();
                        store.sync();
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!store.isClosed()) {
                failedWith = e;
                store.closeImmediately(); // what is on disk is no longer known: take no more writes
            }
        }
        if (store.isClosed()) {
            Throwable cause = store.getPanicException() != null ? store.getPanicException() : failedWith;
            if (cause != null) { // null: closed by the server's own shutdown
                throw storeFailure.error(cause);
            }
        }
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        if (authentication != null) {
            authentication.require(query.getChannel(), "find");
        }
        return super.handleQuery(query);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        if (authentication != null) {
            authentication.require(query.getChannel(), "currentOp");
        }
        return super.getCurrentOperations(query);
    }

    /**
     * Reached without a connection only from a legacy OP_QUERY serverStatus, where we cannot tell who
     * asks (over OP_MSG, {@link #handleCommand} answers serverStatus after checking).
     */
    @Override
    public Document getServerStatus() {
        if (authentication != null) {
            throw authentication.unauthorized("serverStatus (over OP_QUERY)");
        }
        return super.getServerStatus();
    }

    @Override
    public void handleClose(Channel channel) {
        if (authentication != null) {
            authentication.forget(channel);
        }
        channels.remove(channel);
        lastActivity.set(System.nanoTime());
        super.handleClose(channel);
    }

    int openConnections() {
        channels.removeIf(c -> !c.isOpen());
        return channels.size();
    }

    long nanosSinceLastActivity() {
        return System.nanoTime() - lastActivity.get();
    }
}
