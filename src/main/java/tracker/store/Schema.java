package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;

/**
 * Which layout of the documents a database holds: {@code meta {_id: "schema", version: N}}.
 *
 * <p>Every command reads it first. An older layout is upgraded forward before the command goes on:
 * each step only adds what a newer tracker reads (a field filled in where it is missing), so it is
 * idempotent, may be cut anywhere and run again, and any number of processes may run it at once;
 * the version is raised ({@code $max}) only after its steps are done. A database written by a newer
 * tracker is read (reports, export) but never written: a write could break what the newer one relies
 * on, so writing commands stop with {@link ExitCode#NEWER_DATABASE} and say to upgrade tracker.
 *
 * <h2>Versions</h2>
 * <ol>
 * <li>everything before this class (no schema document).</li>
 * <li>experiments carry {@code description}, {@code tags} and {@code derivedFrom} (listed and filtered
 *     without parsing every definition); results pages carry {@code last}, the latest end of their
 *     runs (what "last activity" is read from).</li>
 * </ol>
 */
public final class Schema {
    public static final int CURRENT = 2;
    static final String ID = "schema";
    /** MongoDB's error code for an operation the user's roles do not allow. */
    private static final int UNAUTHORIZED = 13;

    private final Database db;

    public Schema(Database db) {
        this.db = db;
    }

    /** The version stored; 1 for a database without a schema document (older trackers, or empty). */
    public int stored() {
        Document d = db.collections().meta().find(Filters.eq("_id", ID)).first();
        return d == null || !(d.get("version") instanceof Number n) ? 1 : n.intValue();
    }

    /**
     * Brings an older layout up to {@link #CURRENT}, or refuses a newer one to a command that writes.
     *
     * @param writes whether the command may write; a reading command gets the newer database as it is
     * @return a warning to show for a newer database read by this tracker, else null
     */
    public String ensure(boolean writes) {
        int version = stored();
        if (version > CURRENT) {
            if (writes) {
                throw newer(version);
            }
            return "this database was written by a newer tracker (schema " + version + ", this tracker knows up to " + CURRENT
                    + "): reading it, but some fields may be missing; upgrade tracker";
        }
        if (version < CURRENT) {
            try {
                upgrade(version);
            } catch (com.mongodb.MongoException e) {
                if (writes || e.getCode() != UNAUTHORIZED) {
                    throw e;
                }
                // A user allowed to read only: reports still work on the older layout, a little poorer.
                return "this database has an older layout (schema " + version + ") that this user may not upgrade: "
                        + "reading it as it is; any writing command of a user with write access upgrades it";
            }
        }
        return null;
    }

    /** For a command that writes only sometimes (status --repair): refuses a newer database then. */
    public void requireWritable() {
        int version = stored();
        if (version > CURRENT) {
            throw newer(version);
        }
    }

    /** The refusal a writing command gets from a database of a newer tracker. */
    public TrackerException newer(int version) {
        return new TrackerException(ExitCode.NEWER_DATABASE, "this database was written by a newer tracker (schema " + version
                + "; this tracker knows up to schema " + CURRENT + "): nothing was written",
                "upgrade tracker (reports and export still read it with this one)");
    }

    private void upgrade(int from) {
        if (from < 2) {
            experimentFields();
            lastEnds();
        }
        raise(CURRENT);
    }

    /** Step 2a: description, tags and derivedFrom from each experiment's stored definition, where missing. */
    private void experimentFields() {
        List<Document> missing = new ArrayList<>();
        for (Document d : db.collections().experiments().find(Filters.exists("tags", false))
                .projection(Projections.include("definition"))) {
            missing.add(d);
        }
        for (Document d : missing) {
            Definition def;
            try {
                def = DefinitionParser.parse(d.getString("definition"), d.getString("_id") + " (stored)");
            } catch (TrackerException e) {
                continue; // not a definition this tracker reads: left as it is, listed without tags
            }
            db.collections().experiments().updateOne(Filters.and(Filters.eq("_id", d.getString("_id")), Filters.exists("tags", false)),
                    Experiments.describing(def));
        }
    }

    /** Step 2b: each results page's latest end, from its entries, where missing. */
    private void lastEnds() {
        List<Document> pages = new ArrayList<>();
        for (Document d : db.collections().results().find(Filters.exists("last", false)).projection(Projections.include("e"))) {
            pages.add(d);
        }
        for (Document page : pages) {
            Long last = Results.latestEnd(page.get("e", Document.class));
            if (last != null) {
                db.collections().results().updateOne(Filters.eq("_id", page.get("_id")), Updates.max("last", last));
            }
        }
    }

    private void raise(int version) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                db.collections().meta().updateOne(Filters.eq("_id", ID),
                        Updates.combine(Updates.max("version", version), Updates.set("upgradedAt", new Date())),
                        new UpdateOptions().upsert(true));
                return;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e; // else: another process inserted it a moment ago; $max on it now
                }
            }
        }
    }
}
