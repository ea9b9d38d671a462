package tracker.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import com.mongodb.MongoCredential;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * The secret that admits a client to the embedded server: 256 random bits in the file
 * {@code secret} (mode 0600) in the server's data directory (mode 0700). Reading it is the proof of
 * being the directory's owner, which is exactly who may use the data; the server then asks every
 * connection to prove it knows the secret ({@link Authentication}). A file rather than, say, a Unix
 * socket's peer credentials because clients connect over TCP (mongo-java-server speaks nothing
 * else) and because a file works the same for mongosh or pymongo given {@code server status
 * --show-uri}.
 *
 * <p>The secret is written in base64url, so it needs no escaping in a URI and SASLprep leaves it
 * alone. It is never printed except by {@code --show-uri}, and the server keeps only what SCRAM
 * derives from it.
 */
public final class ServerSecret {
    /** The one user name of the embedded server. */
    static final String USER = "tracker";
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final String value;

    private ServerSecret(String value) {
        this.value = value;
    }

    /**
     * The server's side, once it holds the store (so no other server uses the directory): the
     * secret in {@code file}, made if there is none or it is unreadable garbage (a crash while
     * writing it); kept private to the owner either way.
     */
    static ServerSecret createIfMissing(Path file) throws IOException {
        try {
            ServerSecret existing = parse(Files.readString(file, StandardCharsets.US_ASCII));
            if (existing != null) {
                if (POSIX) {
                    Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
                }
                return existing;
            }
            Files.delete(file);
        } catch (NoSuchFileException e) {
            // the first start in this directory
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (FileChannel out = POSIX
                ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process created " + file + " at the same time", e);
        }
        return new ServerSecret(value);
    }

    /**
     * The client's side: the secret of the server whose data is in {@code files}, or null when
     * there is none (a server of a version before authentication, still running). Fails with exit
     * code 5 when the file is not this user's or cannot be read.
     */
    static ServerSecret read(ServerFiles files) {
        Path file = files.secret();
        try {
            FileOwner owner = FileOwner.of(file);
            if (owner != null && !owner.isCurrentUser()) {
                throw ServerSecret.notYours(files.dir(), owner);
            }
            ServerSecret secret = parse(Files.readString(file, StandardCharsets.US_ASCII));
            if (secret == null) {
                throw new TrackerException(ExitCode.UNREACHABLE, "the embedded database's secret " + file + " is damaged",
                        "stop the server ('tracker server stop') and run the command again: the next server makes a new one");
            }
            return secret;
        } catch (NoSuchFileException e) {
            return null;
        } catch (AccessDeniedException e) {
            throw new TrackerException(ExitCode.UNREACHABLE, "cannot read the embedded database's secret " + file
                    + ": permission denied", "run tracker as the user who owns " + files.dir()
                    + ", or set TRACKER_HOME to a directory of your own", e);
        } catch (IOException e) {
            throw new TrackerException(ExitCode.UNREACHABLE, "cannot read the embedded database's secret " + file + ": " + e,
                    "check the permissions of " + files.dir(), e);
        }
    }

    /** The refusal for a data directory (or secret) of another user. */
    static TrackerException notYours(Path dir, FileOwner owner) {
        return new TrackerException(ExitCode.UNREACHABLE, "the embedded database in " + dir + " belongs to " + owner,
                "set TRACKER_HOME to a directory of your own");
    }

    private static ServerSecret parse(String text) {
        String value = text.strip();
        return value.matches("[A-Za-z0-9_-]{43}") ? new ServerSecret(value) : null;
    }

    /** What the driver presents for it. */
    MongoCredential credential() {
        return MongoCredential.createScramSha256Credential(USER, "admin", value.toCharArray());
    }

    /** A URI with the credentials in it, for other MongoDB clients (mongosh, pymongo). */
    String uri(ServerInfo server) {
        return server.uri().replaceFirst("^mongodb://", "mongodb://" + USER + ":" + value + "@")
                + "?authSource=admin&authMechanism=" + ScramSha256.MECHANISM;
    }

    ScramSha256.StoredCredential storedCredential() {
        return ScramSha256.StoredCredential.derive(USER, value);
    }

    @Override
    public String toString() {
        return "ServerSecret(****)";
    }
}
