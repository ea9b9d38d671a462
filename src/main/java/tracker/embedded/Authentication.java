package tracker.embedded;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;

/**
 * Who may use the embedded server: the clients that prove they know the secret in its data directory
 * ({@link ServerSecret}), which only the directory's owner can read. Without this, any local account
 * could connect to the loopback port and read or change the owner's experiments.
 *
 * <p>The proof is MongoDB's own SASL conversation ({@code saslStart}, {@code saslContinue}, or a
 * {@code speculativeAuthenticate} inside the first {@code isMaster}/{@code hello}) with
 * SCRAM-SHA-256 ({@link ScramSha256}), so the real driver, mongosh and pymongo authenticate as they
 * would to any MongoDB. SCRAM also makes the server prove that it knows the secret: a client that
 * finds a stale port in server.json, taken over by some other process, learns nothing and sends
 * nothing to it. A connection that has not authenticated may run only what a driver needs
 * to connect; everything else is refused with MongoDB's code 13, Unauthorized. The state belongs to
 * the connection (netty channel) and is forgotten when it closes.
 */
final class Authentication {
    /** What an unauthenticated connection may run (lower case; mongo-java-server matches commands case-insensitively). */
    private static final Set<String> OPEN_COMMANDS = Set.of("ismaster", "hello", "saslstart", "saslcontinue", "ping", "buildinfo");
    private static final int CONVERSATION_ID = 1; // one conversation per connection at a time
    private static final int UNAUTHORIZED = 13;
    private static final int PROTOCOL_ERROR = 17;
    private static final int AUTHENTICATION_FAILED = 18;
    private static final int MECHANISM_UNAVAILABLE = 334;

    private final ScramSha256.StoredCredential credential;
    private final String dataDir;
    private final Map<Channel, Sasl> conversations = new ConcurrentHashMap<>();
    private final Set<Channel> authenticated = ConcurrentHashMap.newKeySet();

    /**
     * @param dataDir named in refusals, so that a user who reached someone else's server learns why
     */
    Authentication(ScramSha256.StoredCredential credential, String dataDir) {
        this.credential = credential;
        this.dataDir = dataDir;
    }

    /**
     * The reply to a SASL command, or null for any other command, which may then run on this
     * connection; throws Unauthorized when it may not.
     */
    Document intercept(Channel channel, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("saslstart")) {
            return saslStart(channel, query);
        } else if (name.equals("saslcontinue")) {
            return saslContinue(channel, query);
        }
        require(channel, command);
        return null;
    }

    /** Throws Unauthorized unless the connection has authenticated or {@code command} is one a driver needs to connect. */
    void require(Channel channel, String command) {
        if (!authenticated.contains(channel) && !isHandshake(command)) {
            throw unauthorized(command);
        }
    }

    /** One of the commands a driver needs to connect, which every connection may run. */
    static boolean isHandshake(String command) {
        return OPEN_COMMANDS.contains(command.toLowerCase(Locale.ROOT));
    }

    MongoServerError unauthorized(String command) {
        return new MongoServerError(UNAUTHORIZED, "Unauthorized", "command " + command + " requires authentication: "
                + "this embedded tracker database admits only the user who owns its data directory " + dataDir);
    }

    /**
     * A driver that knows its credentials puts its first SCRAM message into the hello
     * ({@code speculativeAuthenticate}); answering it there saves a round trip per connection.
     */
    void speculate(Channel channel, Document hello, Document reply) {
        if (hello.get("speculativeAuthenticate") instanceof Document start
                && ScramSha256.MECHANISM.equals(start.get("mechanism"))) {
            try {
                reply.put("speculativeAuthenticate", saslStart(channel, start));
            } catch (MongoServerError e) {
                // The client then authenticates with saslStart, and fails there with the error.
            }
        }
    }

    void forget(Channel channel) {
        conversations.remove(channel);
        authenticated.remove(channel);
    }

    private Document saslStart(Channel channel, Document query) {
        Object mechanism = query.get("mechanism");
        if (!ScramSha256.MECHANISM.equals(mechanism)) {
            throw new MongoServerError(MECHANISM_UNAVAILABLE, "MechanismUnavailable", "Received authentication for mechanism "
                    + mechanism + " which is not enabled; this server offers " + ScramSha256.MECHANISM);
        }
        authenticated.remove(channel);
        ScramSha256.Conversation conversation = new ScramSha256.Conversation(credential);
        String serverFirst;
        try {
            serverFirst = conversation.start(payload(query));
        } catch (ScramSha256.Failure e) {
            throw failed(channel, e);
        }
        Object options = query.get("options");
        conversations.put(channel, new Sasl(conversation,
                options instanceof Document o && Boolean.TRUE.equals(o.get("skipEmptyExchange"))));
        return reply(serverFirst, false);
    }

    /**
     * A conversation in progress. Drivers ask to skip SASL's empty last exchange (MongoDB 4.4+):
     * then the reply with the server's signature already says done.
     */
    private record Sasl(ScramSha256.Conversation scram, boolean skipEmptyExchange) {
    }

    private Document saslContinue(Channel channel, Document query) {
        Sasl sasl = conversations.get(channel);
        Object id = query.get("conversationId");
        if (sasl == null || !(id instanceof Number n) || n.intValue() != CONVERSATION_ID) {
            throw new MongoServerError(PROTOCOL_ERROR, "ProtocolError", "No SASL session state found");
        }
        try {
            if (sasl.scram().proven()) {
                conversations.remove(channel); // the empty last exchange
                return reply("", true);
            }
            String serverFinal = sasl.scram().finish(payload(query));
            authenticated.add(channel);
            if (sasl.skipEmptyExchange()) {
                conversations.remove(channel);
            }
            return reply(serverFinal, sasl.skipEmptyExchange());
        } catch (ScramSha256.Failure e) {
            throw failed(channel, e);
        }
    }

    private MongoServerError failed(Channel channel, ScramSha256.Failure e) {
        conversations.remove(channel);
        System.err.println(Instant.now() + " authentication failed from " + channel.remoteAddress() + ": " + e.getMessage());
        return new MongoServerError(AUTHENTICATION_FAILED, "AuthenticationFailed", "Authentication failed.");
    }

    private static String payload(Document query) throws ScramSha256.Failure {
        if (query.get("payload") instanceof BinData b) {
            return new String(b.getData(), StandardCharsets.UTF_8);
        }
        throw new ScramSha256.Failure("SASL payload missing or not binary");
    }

    private static Document reply(String payload, boolean done) {
        Document reply = new Document("conversationId", CONVERSATION_ID);
        reply.put("done", done);
        reply.put("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8)));
        Utils.markOkay(reply);
        return reply;
    }
}
