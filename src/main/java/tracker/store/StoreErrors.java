package tracker.store;

import java.util.function.Supplier;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import tracker.ExitCode;
import tracker.TrackerException;

/** Turns the driver's connection, authentication and out-of-disk-space failures into one line and exit code 5. */
public final class StoreErrors {
    private static final int UNAUTHORIZED = 13;
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

    /** The equivalent TrackerException, or null when {@code e} is none of those failures. */
    public static TrackerException translate(RuntimeException e, String hosts) {
        if (e instanceof MongoSecurityException || (e instanceof MongoCommandException c && c.getErrorCode() == 18)) {
            return new TrackerException(ExitCode.UNREACHABLE, "cannot authenticate to MongoDB at " + hosts,
                    "check the user name, password and authSource in the URI", e);
        }
        if (e instanceof MongoException m && m.getCode() == UNAUTHORIZED) {
            return new TrackerException(ExitCode.UNREACHABLE, "not allowed to use MongoDB at " + hosts + ": "
                    + serverMessage(m), "give the URI a user and password that may use this database; an embedded tracker "
                    + "database admits only the user who owns its data directory", e);
        }
        if (e instanceof MongoException m && m.getCode() == OUT_OF_DISK_SPACE) {
            String said = serverMessage(m); // the embedded server names its data directory and what to do
            return said.contains("disk") ? new TrackerException(ExitCode.UNREACHABLE, said, null, e)
                    : new TrackerException(ExitCode.UNREACHABLE, "MongoDB at " + hosts + " is out of disk space: " + said,
                    "free space on its disk and try again", e);
        }
        if (e instanceof MongoTimeoutException || e instanceof MongoSocketException) {
            return new TrackerException(ExitCode.UNREACHABLE, "cannot reach MongoDB at " + hosts,
                    "is the server up and reachable from here? check --uri, TRACKER_URI or the config file", e);
        }
        return null;
    }

    /** The server's own words (MongoDB's errmsg), on one line. */
    private static String serverMessage(MongoException e) {
        String message = e instanceof MongoCommandException c ? c.getErrorMessage() : e.getMessage();
        return message == null ? "code " + e.getCode() : message.replace('\n', ' ');
    }
}
