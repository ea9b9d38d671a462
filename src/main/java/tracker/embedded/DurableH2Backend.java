package tracker.embedded;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The H2 backend, made durable: the stock backend commits in the background once a second, so a
 * {@code kill -9} of the server lost up to a second of acknowledged writes. Here every command
 * that changed something is committed and synced before its reply is sent. Concurrent writers
 * share commits: a commit covers every change made so far, so the next writer's commit finds
 * nothing left to do.
 *
 * <p>It also counts open client connections and the time of the last command, for the idle stop.
 */
final class DurableH2Backend extends H2Backend {
    private final MVStore store;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    DurableH2Backend(MVStore store) {
        super(store);
        this.store = store;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (channel != null) {
            channels.add(channel);
        }
        lastActivity.set(System.nanoTime());
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            if (store.hasUnsavedChanges()) {
                synchronized (this) {
                    if (store.hasUnsavedChanges()) {
                        store.commit();
                        store.sync();
                    }
                }
            }
        }
    }

    @Override
    public void handleClose(Channel channel) {
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
