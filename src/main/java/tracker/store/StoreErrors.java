package tracker.store;

import java.util.Set;
import java.util.function.Supplier;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * Turns the driver's connection, authentication, replica-set and out-of-disk-space failures into
 * one line and exit code 5. Most are also what a long-lived worker retries ({@link #isTransient}):
 * a server that restarts, a replica set electing a new primary, a majority that is slow to confirm
 * a write, a disk that someone frees. Every write of tracker is conditional or idempotent, so
 * repeating one whose reply was lost is safe.
 */
public final class StoreErrors {
    /**
     * Server error codes of a replica set in transition (MongoDB's error_codes.yml): not primary,
     * node recovering or shutting down, interrupted by a state change, and network-level failures
     * reported by a mongos.
     */
    private static final Set<Integer> REPLICA_SET_CODES = Set.of(
            6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436);
    private static final Set<Integer> TIMEOUT_CODES = Set.of(50, 262);
    private static final int WRITE_CONCERN_FAILED = 64;
    private static final int UNAUTHORIZED = 13;
    private static final int AUTHENTICATION_FAILED = 18;
    private static final int OUT_OF_DISK_SPACE = 14031;

    private StoreErrors() {
    }

    public static <T> T guard(String hosts, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            TrackerException t = translate(e, hosts);
            throw t != null ? t : e;
        }
    }

    /** The equivalent TrackerException, or null when {@code e} is not a database availability problem. */
    public static TrackerException translate(RuntimeException e, String hosts) {
        if (e instanceof TrackerException t) {
            return t.exitCode() == ExitCode.UNREACHABLE ? t : null;
        }
        int code = e instanceof MongoException m ? m.getCode() : 0;
        if (e instanceof MongoSecurityException || code == AUTHENTICATION_FAILED) {
            return new TrackerException(ExitCode.UNREACHABLE, "cannot authenticate to MongoDB at " + hosts,
                    "check the user name, password and authSource in the URI", e);
        }
        if (code == UNAUTHORIZED) {
            return new TrackerException(ExitCode.UNREACHABLE, "not allowed to use MongoDB at " + hosts + ": "
                    + serverMessage((MongoException) e), "give the URI a user and password that may use this database; an embedded "
                    + "tracker database admits only the user who owns its data directory", e);
        }
        if (code == OUT_OF_DISK_SPACE) {
            String said = serverMessage((MongoException) e); // the embedded server names its data directory and what to do
            return said.contains("disk") ? new TrackerException(ExitCode.UNREACHABLE, said, null, e)
                    : new TrackerException(ExitCode.UNREACHABLE, "MongoDB at " + hosts + " is out of disk space: " + said,
                    "free space on its disk and try again", e);
        }
        if (e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
                || REPLICA_SET_CODES.contains(code)) {
            return new TrackerException(ExitCode.UNREACHABLE, "MongoDB at " + hosts + " has no primary to write to right now ("
                    + serverMessage((MongoException) e) + ")", "a replica set is electing a new primary or a member is shutting down; "
                    + "try again in a few seconds ('tracker run' retries by itself)", e);
        }
        if (e instanceof MongoWriteConcernException || code == WRITE_CONCERN_FAILED || writeConcernFailed(e)) {
            return new TrackerException(ExitCode.UNREACHABLE, "MongoDB at " + hosts + " did not confirm a write on a majority of "
                    + "the replica set within " + Collections.WRITE_TIMEOUT_MILLIS / 1000 + " s",
                    "is a data-bearing member down? the write may have been applied; repeating the command is safe", e);
        }
        if (e instanceof MongoExecutionTimeoutException || TIMEOUT_CODES.contains(code) || e instanceof MongoSocketReadTimeoutException) {
            return new TrackerException(ExitCode.UNREACHABLE, "MongoDB at " + hosts + " did not answer in time",
                    "is the server overloaded or a replica-set member down? repeating the command is safe", e);
        }
        if (e instanceof MongoTimeoutException || e instanceof MongoSocketException || e instanceof MongoServerUnavailableException) {
            return new TrackerException(ExitCode.UNREACHABLE, "cannot reach MongoDB at " + hosts,
                    "is the server up and reachable from here? check --uri, TRACKER_URI or the config file", e);
        }
        return null;
    }

    /** Whether an operation that failed with {@code e} may succeed when tried again later (exit 5 kinds but refusals). */
    public static boolean isTransient(RuntimeException e) {
        Throwable cause = e instanceof TrackerException t ? t.getCause() : e;
        return translate(e, "") != null && !(cause instanceof MongoSecurityException)
                && !(cause instanceof MongoException m && (m.getCode() == AUTHENTICATION_FAILED || m.getCode() == UNAUTHORIZED));
    }

    private static boolean writeConcernFailed(RuntimeException e) {
        return e instanceof MongoBulkWriteException b && b.getWriteConcernError() != null
                || e instanceof MongoCommandException c && c.getResponse().containsKey("writeConcernError");
    }

    /** The server's own words (MongoDB's errmsg), on one line. */
    private static String serverMessage(MongoException e) {
        String message = e instanceof MongoCommandException c ? c.getErrorMessage() : e.getMessage();
        return message == null ? "code " + e.getCode() : message.replace('\n', ' ');
    }
}
