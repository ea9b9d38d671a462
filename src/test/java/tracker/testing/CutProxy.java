package tracker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of one MongoDB server that plays "the client died right after its k-th
 * write reached the server", deterministically, for every k.
 *
 * <p>It forwards every connection unchanged and counts the writes it forwards ({@link #writes()};
 * the commands in {@link #WRITE_COMMANDS}, one per command however many statements or documents it
 * holds). With {@link #cutAfter(int) cutAfter(k)} it forwards writes 1..k, waits for the server's
 * reply to write k (so it is applied), drops that reply and closes every connection, then closes
 * every new one on accept. The client sees what a dead connection looks like: end of stream
 * ({@code MongoSocketReadException}) on the call of write k. Between forwarding write k and its
 * reply, other messages (any connection) are held and then dropped, so nothing after write k
 * reaches the server. {@code cutAfter(0)} cuts on the first write, forwarding nothing.
 *
 * <pre>
 * try (CutProxy proxy = CutProxy.to(serverUri)) {
 *     proxy.cutAfter(2);
 *     // run the command against proxy.uri(): it fails on its 2nd write, which the server has applied
 * }
 * </pre>
 *
 * Limits: one target host (the client URI gets {@code directConnection=true}, so a replica-set
 * client does not discover the members and go around the proxy); no compression (the proxy must
 * read command names); an unacknowledged (w:0) k-th write has no reply to wait for, so the cut
 * follows right after forwarding it and the server may not have applied it yet.
 */
public final class CutProxy implements AutoCloseable {
    /**
     * Commands that change data or schema, lower-cased (names are compared case-insensitively, as
     * the server accepts {@code findandmodify}). Schema commands count because a process can die
     * between them and its first insert too ({@code tracker create} runs createIndexes first).
     * Not counted: {@code aggregate} with $out/$merge, and transactions (tracker uses neither; a
     * write inside a transaction applies only at commit).
     */
    public static final Set<String> WRITE_COMMANDS = Set.of(
            "insert", "update", "delete", "findandmodify", "bulkwrite",
            "create", "createindexes", "collmod", "renamecollection", "drop", "dropindexes", "dropdatabase");

    private static final int NO_CUT = -1;
    private static final long JOIN_MILLIS = 2_000;
    private static final int CONNECT_MILLIS = 2_000;

    private final InetSocketAddress target;
    private final String uri;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final Thread acceptor;

    private final Object lock = new Object();
    private State state = State.OPEN; // all five guarded by lock
    private int writes;
    private int cutAfter = NO_CUT;
    private boolean closed;
    private ProtocolException failure;

    private enum State {
        OPEN,
        /** Write k is forwarded and its reply awaited; nothing else goes through. */
        CUTTING,
        CUT
    }

    private CutProxy(String targetUri) throws IOException {
        TargetUri parsed = TargetUri.parse(targetUri);
        this.target = parsed.address();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.uri = parsed.throughProxy(listener.getLocalPort());
        this.acceptor = start("accept", this::acceptLoop);
    }

    /** A proxy to the single server of a {@code mongodb://} URI, listening on a free local port. */
    public static CutProxy to(String targetUri) throws IOException {
        return new CutProxy(targetUri);
    }

    /** The URI clients use: the target's with this proxy as host, credentials and options kept. */
    public String uri() {
        return uri;
    }

    /** Cuts right after the k-th write (counted since creation or {@link #reset()}) is applied. */
    public CutProxy cutAfter(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("cutAfter(" + k + "): k counts writes, from 0");
        }
        synchronized (lock) {
            cutAfter = k;
        }
        return this;
    }

    /** Writes forwarded to the server so far; after a cut, exactly k. */
    public int writes() {
        synchronized (lock) {
            throwIfFailed();
            return writes;
        }
    }

    /** Whether the cut has happened. */
    public boolean cut() {
        synchronized (lock) {
            throwIfFailed();
            return state == State.CUT;
        }
    }

    /** Back to a transparent proxy with zero writes; connections closed by a cut stay closed. */
    public void reset() {
        synchronized (lock) {
            state = State.OPEN;
            writes = 0;
            cutAfter = NO_CUT;
            failure = null;
            lock.notifyAll();
        }
    }

    /** Closes the listener and every connection; returns when the proxy's threads have ended. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        closeQuietly(listener);
        links.forEach(Link::close);
        try {
            acceptor.join(JOIN_MILLIS); // first: it may still start the threads of a last link
            for (Thread t : threads) {
                t.join(JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Link link = connect(client);
            if (link == null) {
                continue;
            }
            start("up", () -> upstream(link));
            start("down", () -> downstream(link));
        }
    }

    /** A link to the server for a new client, or null when the client is refused (closed at once). */
    private Link connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(target, CONNECT_MILLIS);
            Link link = new Link(client, server);
            synchronized (lock) { // registered under the lock, so a cut or close() cannot miss it
                if (state != State.CUT && !closed) {
                    links.add(link);
                    return link;
                }
            }
        } catch (IOException e) {
            // the server is unreachable, so the proxy is too
        }
        closeQuietly(client); // the client's handshake reads end of stream
        closeQuietly(server);
        return null;
    }

    /** Client to server: decides, message by message, what may reach the server. */
    private void upstream(Link link) {
        try {
            WireMessage m;
            while ((m = WireMessage.read(link.fromClient)) != null) {
                Admission admission = admit(link, m);
                if (admission == Admission.DROP) {
                    break;
                }
                m.writeTo(link.toServer);
                if (admission == Admission.LAST_WITHOUT_REPLY) {
                    cutNow();
                }
            }
        } catch (ProtocolException e) {
            synchronized (lock) {
                failure = failure != null ? failure : e;
            }
        } catch (IOException e) {
            // the client or the server closed the connection
        } finally {
            if (!link.awaitsLastReply()) {
                link.close(); // else downstream waits for write k's reply, then cuts
            }
        }
    }

    /** Server to client: every reply, except the one to write k, which triggers the cut instead. */
    private void downstream(Link link) {
        try {
            WireMessage m;
            while ((m = WireMessage.read(link.fromServer)) != null) {
                if (link.awaitsLastReply() && m.responseTo() == link.lastWriteId) {
                    break; // write k is applied; its reply is never delivered
                }
                if (isCutOrClosed()) {
                    break;
                }
                m.writeTo(link.toClient);
            }
        } catch (IOException e) {
            // closed by either side or by the cut
        } finally {
            if (link.awaitsLastReply()) {
                cutNow();
            }
            link.close();
        }
    }

    private enum Admission { FORWARD, LAST_WITH_REPLY, LAST_WITHOUT_REPLY, DROP }

    private Admission admit(Link link, WireMessage m) throws ProtocolException {
        boolean write = isWrite(m.commandName());
        synchronized (lock) {
            while (state == State.CUTTING && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Admission.DROP;
                }
            }
            if (state == State.CUT || closed) {
                return Admission.DROP;
            }
            if (!write) {
                return Admission.FORWARD;
            }
            if (cutAfter != NO_CUT && writes >= cutAfter) {
                cutNowLocked(); // cutAfter(0), or set after the k-th write had passed
                return Admission.DROP;
            }
            writes++;
            if (writes != cutAfter) {
                return Admission.FORWARD;
            }
            state = State.CUTTING;
            if (m.expectsNoReply()) {
                return Admission.LAST_WITHOUT_REPLY;
            }
            link.lastWriteId = m.requestId(); // set before forwarding: the reply cannot overtake it
            link.lastReplyAwaited = true;
            return Admission.LAST_WITH_REPLY;
        }
    }

    static boolean isWrite(String command) {
        return command != null && WRITE_COMMANDS.contains(command.toLowerCase(Locale.ROOT));
    }

    private void cutNow() {
        synchronized (lock) {
            cutNowLocked();
        }
    }

    private void cutNowLocked() {
        state = State.CUT;
        lock.notifyAll();
        links.forEach(Link::close);
    }

    private boolean isCutOrClosed() {
        synchronized (lock) {
            return state == State.CUT || closed;
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("CutProxy could not read a message: " + failure.getMessage(), failure);
        }
    }

    /** Daemon threads, tracked so that close() can wait for them. */
    private Thread start(String role, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, threadPrefix() + role + "-" + threadNumber.incrementAndGet());
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    /** Names of this proxy's threads start so, for leak checks. */
    String threadPrefix() {
        return "cut-proxy-" + listener.getLocalPort() + "-";
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing is all we wanted
        }
    }

    /** One client connection and its own connection to the server. */
    private final class Link {
        final Socket client;
        final Socket server;
        final InputStream fromClient;
        final OutputStream toClient;
        final InputStream fromServer;
        final OutputStream toServer;
        volatile int lastWriteId;
        volatile boolean lastReplyAwaited;

        Link(Socket client, Socket server) throws IOException {
            this.client = client;
            this.server = server;
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            this.fromClient = client.getInputStream();
            this.toClient = client.getOutputStream();
            this.fromServer = server.getInputStream();
            this.toServer = server.getOutputStream();
        }

        boolean awaitsLastReply() {
            return lastReplyAwaited;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }
    }
}
