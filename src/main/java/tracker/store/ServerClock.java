package tracker.store;

import java.util.Date;

import org.bson.Document;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;

/**
 * The database server's clock, as seen from here: leases are written by one worker and judged by
 * others, possibly on other machines, so they are judged on one clock - the server's - and never
 * on each worker's own. The offset is read once per connection from the {@code localTime} that
 * {@code hello} (or the older {@code isMaster}) reports, half the round trip taken as the time the
 * reply was on its way; a clock that NTP keeps in sync drifts by far less than a lease in the
 * lifetime of a connection.
 */
public final class ServerClock {
    /** A difference worth a warning: workers on several machines need NTP anyway. */
    public static final long WARN_OFFSET_MILLIS = 5_000;

    private final long offsetMillis;

    private ServerClock(long offsetMillis) {
        this.offsetMillis = offsetMillis;
    }

    /** A clock that is this machine's own (for tests and for servers that report no time). */
    public static ServerClock local() {
        return new ServerClock(0);
    }

    static ServerClock measure(MongoDatabase admin) {
        long t0 = System.currentTimeMillis();
        Document reply = hello(admin);
        long t1 = System.currentTimeMillis();
        Object serverTime = reply.get("localTime");
        if (!(serverTime instanceof Date d)) {
            return local();
        }
        return new ServerClock(d.getTime() - (t0 + (t1 - t0) / 2));
    }

    private static Document hello(MongoDatabase admin) {
        try {
            return admin.runCommand(new Document("hello", 1));
        } catch (MongoCommandException e) {
            // Servers before 4.4.2 (and the embedded one) know only the legacy name.
            return admin.runCommand(new Document("isMaster", 1));
        }
    }

    /** The server's time now, in milliseconds since the epoch. */
    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    public Date now() {
        return new Date(millis());
    }

    /** How far the server's clock is ahead of this machine's (negative: behind). */
    public long offsetMillis() {
        return offsetMillis;
    }

    /** A warning for the user when this machine's clock is off by more than a few seconds, else null. */
    public String warning(String hosts) {
        if (Math.abs(offsetMillis) <= WARN_OFFSET_MILLIS) {
            return null;
        }
        return "this machine's clock is " + Math.abs(offsetMillis) / 1000 + " s " + (offsetMillis > 0 ? "behind" : "ahead of")
                + " the database server's (" + hosts + "); leases are judged on the server's clock, but keep clocks in sync with NTP";
    }
}
