package tracker.serve;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tracker.store.ApiKeys;

/**
 * Who may do what: the caller's key (Authorization: Bearer), its role and its experiments. Every
 * refusal is one JSON line: 401 for no key or one that opens nothing (unknown, revoked, expired
 * alike), 403 for a key that may not do this. Failed sign-ins from one address are slowed down:
 * after {@value #FREE_FAILURES} within {@value #WINDOW_MILLIS} ms, each further refusal waits twice
 * as long as the one before, up to {@value #MAX_DELAY_MILLIS} ms (the reply is held back, not a
 * thread). Keys are checked against the database on every request, so a revoked key stops at once.
 */
final class Gate {
    static final int FREE_FAILURES = 5;
    static final long WINDOW_MILLIS = 10 * 60_000;
    static final long MAX_DELAY_MILLIS = 5_000;
    /** How often a key's "last used" is written at most: a write per request would double the load. */
    static final long TOUCH_MILLIS = 60_000;

    private final ApiKeys keys;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> touched = new ConcurrentHashMap<>();

    private record Failures(int count, long lastMillis) {
    }

    Gate(ApiKeys keys) {
        this.keys = keys;
    }

    /** The caller's key; or a 401 reply (delayed when this address failed often) as a {@link Refused}. */
    ApiKeys.Key authenticate(Request r) {
        ApiKeys.Key k = keys.authenticate(r.bearer(), Instant.now());
        long now = System.currentTimeMillis();
        if (k == null) {
            Failures f = failures.compute(r.remote(), (a, old) -> old == null || now - old.lastMillis() > WINDOW_MILLIS
                    ? new Failures(1, now) : new Failures(old.count() + 1, now));
            long delay = f.count() <= FREE_FAILURES ? 0 : Math.min(MAX_DELAY_MILLIS, 100L << Math.min(10, f.count() - FREE_FAILURES - 1));
            String message = r.bearer() == null ? "this needs an API key" : "the API key is not valid (unknown, revoked or expired)";
            throw new Refused(Reply.error(401, 5, "unauthorized", message,
                    "send 'Authorization: Bearer KEY'; 'tracker keys create' makes one").withHeader("WWW-Authenticate", "Bearer")
                    .delayed(delay));
        }
        if (failures.size() > 10_000) { // an address that stopped failing long ago needs no entry
            failures.entrySet().removeIf(e -> now - e.getValue().lastMillis() > WINDOW_MILLIS);
        }
        Long last = touched.get(k.id());
        if (last == null || now - last > TOUCH_MILLIS) {
            touched.put(k.id(), now);
            try {
                keys.touch(k.id(), Instant.ofEpochMilli(now));
            } catch (RuntimeException e) {
                // "last used" is a courtesy; the request goes on
            }
        }
        return k;
    }

    /** Refuses with 403 unless the key has one of the roles. */
    static void require(ApiKeys.Key k, ApiKeys.Role... roles) {
        for (ApiKeys.Role role : roles) {
            if (k.role() == role) {
                return;
            }
        }
        throw new Refused(Reply.error(403, 5, "forbidden", "a " + k.role() + " key may not do this",
                "it needs a key with role " + String.join(" or ", java.util.Arrays.stream(roles).map(Enum::name).toList())));
    }

    /** Refuses with 403 unless the key reaches the experiment (NAME@VERSION, or NAME for its latest version). */
    static void reach(ApiKeys.Key k, String experimentId) {
        if (!k.reaches(experimentId)) {
            throw new Refused(Reply.error(403, 5, "forbidden", "this key does not reach experiment '" + experimentId + "'",
                    "its experiments are " + String.join(", ", k.experiments())));
        }
    }

    /** A request refused before any work, carrying the reply. */
    static final class Refused extends RuntimeException {
        final transient Reply reply;

        Refused(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }
}
