package tracker.embedded;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * What the embedded server does when its store cannot write: a full disk, or an I/O error.
 *
 * <p>Measured on a full tmpfs: H2's MVStore "panics" on a failed write - it closes itself for good
 * ("This store is closed" for every later read and write) and leaves the file as the last successful
 * commit wrote it, which reopening reads back whole. So every write that was acknowledged (each one
 * committed and synced before its reply) is kept, the write that failed is answered with an error,
 * and the store must be reopened before anything works again. The server therefore answers every
 * command with this error and stops ({@link #whenFailed}); the next client starts a new server on
 * the same files, which works once there is space again.
 *
 * <p>A full disk gets MongoDB's own code for it, 14031 OutOfDiskSpace, and a message that names the
 * data directory, so that a client can tell the user what to do; other failures get code 1.
 */
final class StoreFailure {
    static final int OUT_OF_DISK_SPACE = 14031;
    private static final int INTERNAL_ERROR = 1;

    private final String dataDir;
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile Runnable onFailure = () -> { };

    StoreFailure(String dataDir) {
        this.dataDir = dataDir;
    }

    /** What to do, once, when the store has failed: stop the server. */
    void whenFailed(Runnable action) {
        onFailure = action;
    }

    /** The error for every command once the store has failed with {@code cause}; the first call also stops the server. */
    MongoServerError error(Throwable cause) {
        if (failed.compareAndSet(false, true)) {
            System.err.println(Instant.now() + " the store failed, stopping: " + cause);
            onFailure.run();
        }
        if (diskFull(cause)) {
            return new MongoServerError(OUT_OF_DISK_SPACE, "OutOfDiskSpace", diskFullMessage(dataDir));
        }
        return new MongoServerError(INTERNAL_ERROR, "InternalError", "the embedded database cannot write to " + dataDir
                + " (" + rootCause(cause) + "): nothing more can be written (what was acknowledged is kept); "
                + "it stops, and the next command starts it again");
    }

    /** One wording for the server's error and the client's own check (a server that cannot even start). */
    static String diskFullMessage(Object dataDir) {
        return "the disk holding " + dataDir + " is full: nothing more can be written (what was acknowledged is kept); "
                + "free space and try again";
    }

    /** ENOSPC or EDQUOT anywhere in the cause chain, as the JDK words them. */
    static boolean diskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("There is not enough space on the disk")) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = String.valueOf(c.getMessage());
        int nl = m.indexOf('\n');
        return c.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
