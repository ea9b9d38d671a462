package tracker.store;

import java.util.function.Supplier;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import tracker.ExitCode;
import tracker.TrackerException;

/** Turns the driver's connection and authentication failures into one line and exit code 5. */
public final class StoreErrors {
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

    /** The equivalent TrackerException, or null when {@code e} is not a connection problem. */
    public static TrackerException translate(RuntimeException e, String hosts) {
        if (e instanceof MongoSecurityException || (e instanceof MongoCommandException c && c.getErrorCode() == 18)) {
            return new TrackerException(ExitCode.UNREACHABLE, "cannot authenticate to MongoDB at " + hosts,
                    "check the user name, password and authSource in the URI", e);
        }
        if (e instanceof MongoTimeoutException || e instanceof MongoSocketException) {
            return new TrackerException(ExitCode.UNREACHABLE, "cannot reach MongoDB at " + hosts,
                    "is the server up and reachable from here? check --uri, TRACKER_URI or the config file", e);
        }
        return null;
    }
}
