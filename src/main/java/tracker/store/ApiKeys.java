package tracker.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * The API keys of {@code tracker serve}. A key reads {@code trk_<id>_<secret>}: the id (12
 * characters, shown by {@code keys list}) finds its document, the secret (256 random bits) is kept
 * only as its SHA-256 and compared in constant time. A slow password hash buys nothing here: the
 * secret is random, not chosen by a person, so no dictionary or brute force reaches it.
 *
 * <p>One document per key, written by an insert with the id chosen here (a retried insert that
 * finds its own document is the same key) or by {@code $set}s that can be repeated; nothing grows.
 */
public final class ApiKeys {
    public static final String PREFIX = "trk_";
    private static final Pattern SHAPE = Pattern.compile("trk_([a-z2-7]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern ID = Pattern.compile("[a-z2-7]{12}");
    /** The id at the start of a key's text, whatever follows it. */
    private static final Pattern ID_IN_TEXT = Pattern.compile("trk_([a-z2-7]{12})(_|$)");
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a key may do; each role can do what the ones before it can, except that a reader cannot work runs. */
    public enum Role {
        /** Reads experiments, reports, runs, the dashboard. */
        reader,
        /** Claims, logs, heartbeats and ends runs of its experiments, and reads their definition and status (tracker run needs them). */
        worker,
        /** Everything: reads, works runs, creates experiments, requeues, cancels. */
        admin
    }

    /** A key as stored, without its secret. {@code experiments} empty: every experiment. */
    public record Key(String id, Role role, List<String> experiments, String label, Instant created, Instant expires,
                      Instant revoked, Instant lastUsed) {

        /** Whether this key reaches experiment {@code experimentId} (NAME@VERSION): by name, or by that very version. */
        public boolean reaches(String experimentId) {
            if (experiments.isEmpty()) {
                return true;
            }
            int at = experimentId.lastIndexOf('@');
            String name = at > 0 ? experimentId.substring(0, at) : experimentId;
            return experiments.contains(name) || experiments.contains(experimentId);
        }

        public boolean usable(Instant now) {
            return revoked == null && (expires == null || now.isBefore(expires));
        }

        @Override
        public String toString() { // never a secret: there is none here, and the id alone opens nothing
            return "key " + id + " (" + role + ")";
        }
    }

    /** A new key: the text to hand out (shown once) and what was stored. */
    public record Created(String secretText, Key key) {
        @Override
        public String toString() {
            return "Created[" + key + ", secret hidden]";
        }
    }

    private final Database db;

    public ApiKeys(Database db) {
        this.db = db;
    }

    public Created create(Role role, List<String> experiments, Duration lifetime, String label) {
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = Instant.now();
        Instant expires = lifetime == null ? null : now.plus(lifetime);
        for (int attempt = 0; ; attempt++) {
            String id = newId();
            Document doc = new Document("_id", id)
                    .append("hash", hash(secret))
                    .append("role", role.name())
                    .append("experiments", List.copyOf(experiments))
                    .append("label", label)
                    .append("created", Date.from(now))
                    .append("expires", expires == null ? null : Date.from(expires))
                    .append("revoked", null)
                    .append("lastUsed", null);
            try {
                db.collections().keys().insertOne(doc);
                return new Created(PREFIX + id + "_" + secret, key(doc));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY || attempt > 3) {
                    throw e;
                }
                Document there = db.collections().keys().find(Filters.eq("_id", id)).first();
                if (there != null && hash(secret).equals(there.getString("hash"))) {
                    return new Created(PREFIX + id + "_" + secret, key(there)); // our own insert, retried by the driver
                }
                // another key has this id (60 random bits: practically never); draw again
            }
        }
    }

    public List<Key> list() {
        List<Key> keys = new ArrayList<>();
        for (Document d : db.collections().keys().find().sort(Sorts.ascending("created", "_id"))) {
            keys.add(key(d));
        }
        return keys;
    }

    /**
     * Revokes the key with this id (or the id inside a whole key text, even a mistyped one); the key
     * as it is now. An error never repeats what it was given beyond an id: a pasted key may be one
     * character off, and its secret must not end up in a terminal's scrollback or a CI log.
     */
    public Key revoke(String idOrKey) {
        String id;
        java.util.regex.Matcher m = ID_IN_TEXT.matcher(idOrKey);
        if (ID.matcher(idOrKey).matches()) {
            id = idOrKey;
        } else if (m.lookingAt()) {
            id = m.group(1);
        } else {
            throw TrackerException.usage("that is neither a key id nor a key",
                    "give the id 'tracker keys list' shows (12 letters and digits), or the whole key trk_ID_SECRET");
        }
        db.collections().keys().updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("revoked", null)),
                Updates.set("revoked", new Date()));
        Document d = db.collections().keys().find(Filters.eq("_id", id)).first();
        if (d == null) {
            throw new TrackerException(ExitCode.NOT_FOUND, "no key '" + id + "'", "'tracker keys list' shows the ids");
        }
        return key(d);
    }

    /**
     * The stored key this text opens, or null: malformed, unknown, wrong secret, revoked or expired
     * all answer null alike, so a caller learns nothing about which keys exist.
     */
    public Key authenticate(String presented, Instant now) {
        if (presented == null) {
            return null;
        }
        java.util.regex.Matcher m = SHAPE.matcher(presented);
        if (!m.matches()) {
            return null;
        }
        Document d = db.collections().keys().find(Filters.eq("_id", m.group(1))).first();
        byte[] want = d == null ? new byte[32] : HexFormat.of().parseHex(d.getString("hash"));
        boolean same = MessageDigest.isEqual(digest(m.group(2)), want);
        if (d == null || !same) {
            return null;
        }
        Key k = key(d);
        return k.usable(now) ? k : null;
    }

    /** Records that the key was used (the caller limits how often: this is a write). */
    public void touch(String id, Instant when) {
        db.collections().keys().updateOne(Filters.eq("_id", id), Updates.max("lastUsed", Date.from(when)));
    }

    private static Key key(Document d) {
        List<String> experiments = d.getList("experiments", String.class, List.of());
        return new Key(d.getString("_id"), Role.valueOf(d.getString("role")), List.copyOf(experiments), d.getString("label"),
                instant(d.getDate("created")), instant(d.getDate("expires")), instant(d.getDate("revoked")),
                instant(d.getDate("lastUsed")));
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    private static String newId() {
        char[] c = new char[12];
        for (int i = 0; i < c.length; i++) {
            c[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(c);
    }

    private static String hash(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
