package tracker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

import tracker.TrackerException;

/**
 * Links between runs, found from either end: a run records what its model was initialized from
 * ({@code initFrom} on the run: a run of this database, or any URI), and when that is a run, a
 * {@code links} document {@code {_id: "TO#init_from#FROM", kind, from, to}} lets the other run list
 * the runs that started from it - read by an {@code _id} range, which every server answers from its
 * index, and one document per link, so no document grows with the number of runs.
 *
 * <p>The run's field is the record; a link whose run does not (or no longer) say so is ignored.
 * (Experiments record {@code derivedFrom} on their own documents; there are few enough of them to
 * find the other end by reading them all.)
 */
public final class Links {
    static final String INIT_FROM = "initFrom";
    private static final String KIND_INIT = "init_from";
    /** NAME@V/MODEL/DATASET/N: a run of a tracker database (anything else is a URI). */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*@[1-9][0-9]*/[^/\\s]+/[^/\\s]+/[0-9]+");

    private final Database db;

    public Links(Database db) {
        this.db = db;
    }

    /** Whether {@code text} names a run (rather than a URI of weights). */
    public static boolean isRunId(String text) {
        return RUN_ID.matcher(text).matches();
    }

    /** Records the link from {@code run} to the run it started from; a URI needs none. Refuses a run that does not exist. */
    void initFrom(String run, String from) {
        if (!isRunId(from)) {
            return;
        }
        if (from.equals(run)) {
            throw TrackerException.invalid("init_from names the run itself (" + run + "); nothing was logged",
                    "name the run (or the URI) whose weights this one started from");
        }
        if (db.collections().runs().find(Filters.eq("_id", from)).projection(Projections.include("_id")).first() == null) {
            throw new TrackerException(tracker.ExitCode.NOT_FOUND, "init_from names run " + from + ", which does not exist; nothing was logged",
                    "give a run id as 'tracker show' prints it, or a URI (s3://..., file:...) for weights from elsewhere");
        }
        try {
            db.collections().links().insertOne(new Document("_id", from + "#" + KIND_INIT + "#" + run)
                    .append("kind", KIND_INIT).append("from", run).append("to", from));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e; // else: recorded before (a batch sent again); once is enough
            }
        }
    }

    /** The runs that say they started from {@code run}, in id order. */
    public List<String> initializedFrom(String run) {
        String prefix = run + "#" + KIND_INIT + "#";
        List<String> candidates = new ArrayList<>();
        for (Document d : db.collections().links().find(Filters.and(Filters.gte("_id", prefix), Filters.lt("_id", prefix + "\uffff")))) {
            candidates.add(d.getString("from"));
        }
        List<String> out = new ArrayList<>();
        if (candidates.isEmpty()) {
            return out;
        }
        for (Document r : db.collections().runs().find(Filters.in("_id", candidates)).projection(Projections.include(INIT_FROM))) {
            if (run.equals(r.getString(INIT_FROM))) {
                out.add(r.getString("_id"));
            }
        }
        out.sort(null);
        return out;
    }
}
