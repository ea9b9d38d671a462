package tracker.store;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonBinaryReader;
import org.bson.BsonType;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * The {@code results} collection: one small document per cell with the outcome of each of its
 * finished runs (trial, replicate, status, best and last value of the objective), kept up to date
 * by {@code end}. Reports read these - a few hundred documents for the largest experiments - and
 * never the runs or their metrics, which is what keeps them fast at 100,000 runs.
 */
public final class Results {
    private final MongoCollection<Document> coll;

    public Results(Database db) {
        this.coll = db.mongo().getCollection("results");
    }

    /** Records how a run ended; idempotent (a run's entry is its queue position). */
    void record(Document run) {
        recordAll(run.getString("cell"), List.of(run));
    }

    /** Records how several runs of one cell ended, in one write. */
    void recordAll(String cellId, List<Document> runs) {
        Document first = runs.get(0);
        List<Bson> updates = new ArrayList<>(List.of(Updates.setOnInsert("experiment", first.getString("experiment")),
                Updates.setOnInsert("model", first.getString("model")),
                Updates.setOnInsert("dataset", first.getString("dataset"))));
        for (Document run : runs) {
            updates.add(Updates.set("runs." + run.getInteger("pos"), entry(run)));
        }
        coll.updateOne(Filters.eq("_id", cellId), Updates.combine(updates), new UpdateOptions().upsert(true));
    }

    private static Document entry(Document run) {
        Document summary = run.get("summary", Document.class);
        Document objective = summary == null ? null : summary.get("objective", Document.class);
        Document entry = new Document("t", run.getInteger("trial")).append("r", run.getInteger("replicate"))
                .append("s", run.getString("status"));
        if (objective != null && objective.get("best") != null && !Boolean.TRUE.equals(run.getBoolean("noObjective"))) {
            entry.append("b", objective.getDouble("best"));
        }
        if (objective != null && objective.get("last") != null) {
            entry.append("l", objective.getDouble("last"));
        }
        if (run.getDate("claimedAt") != null && run.getDate("endedAt") != null) {
            entry.append("d", run.getDate("endedAt").getTime() - run.getDate("claimedAt").getTime());
        }
        return entry;
    }

    /** The entries of a {@code runs} sub-document: {"POS": {t, r, s, b?, l?, d?}, ...}. */
    private static void readRuns(BsonBinaryReader r, List<Outcome> list) {
        r.readStartDocument();
        while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
            int pos = Integer.parseInt(r.readName());
            int trial = 0;
            int replicate = 0;
            String status = null;
            Double best = null;
            Double last = null;
            Long millis = null;
            r.readStartDocument();
            while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
                switch (r.readName()) {
                    case "t" -> trial = (int) number(r);
                    case "r" -> replicate = (int) number(r);
                    case "s" -> status = r.readString();
                    case "b" -> best = number(r);
                    case "l" -> last = number(r);
                    case "d" -> millis = (long) number(r);
                    default -> r.skipValue();
                }
            }
            r.readEndDocument();
            list.add(new Outcome(pos, trial, replicate, status, best, last, millis));
        }
        r.readEndDocument();
    }

    private static double number(BsonBinaryReader r) {
        return switch (r.getCurrentBsonType()) {
            case INT32 -> r.readInt32();
            case INT64 -> r.readInt64();
            case DOUBLE -> r.readDouble();
            default -> {
                r.skipValue();
                yield Double.NaN;
            }
        };
    }

    /** A run goes back to the queue (requeue): it has no outcome any more. */
    void forget(String cellId, int pos) {
        coll.updateOne(Filters.eq("_id", cellId), Updates.unset("runs." + pos));
    }

    /**
     * A run's recorded outcome, back out of a results document.
     *
     * @param pos    the run's place in its cell's queue (its id is the cell's id + "/" + pos)
     * @param millis how long its last attempt took, or null
     */
    public record Outcome(int pos, int trial, int replicate, String status, Double best, Double last, Long millis) {
    }

    /** Every recorded outcome of the experiment's cells, by cell id. */
    public java.util.Map<String, List<Outcome>> of(ExperimentRecord exp) {
        java.util.Map<String, List<Outcome>> out = new java.util.LinkedHashMap<>();
        for (String id : exp.cellIds()) {
            out.put(id, new ArrayList<>());
        }
        if (exp.cellIds().isEmpty()) {
            return out;
        }
        // Read raw and decode only what is needed: at 100,000 runs these are 100,000 small entries, and
        // building a Document (a LinkedHashMap) for each one was most of a report's time.
        for (RawBsonDocument d : coll.withDocumentClass(RawBsonDocument.class).find(Filters.in("_id", exp.cellIds())).batchSize(50)) {
            String id = d.getString("_id").getValue();
            List<Outcome> list = out.computeIfAbsent(id, k -> new ArrayList<>());
            try (BsonBinaryReader r = new BsonBinaryReader(d.getByteBuffer().asNIO())) {
                r.readStartDocument();
                while (r.readBsonType() != BsonType.END_OF_DOCUMENT) {
                    if (r.readName().equals("runs") && r.getCurrentBsonType() == BsonType.DOCUMENT) {
                        readRuns(r, list);
                    } else {
                        r.skipValue();
                    }
                }
            }
            list.sort(java.util.Comparator.comparingInt(Outcome::pos)); // stored in the order runs ended
        }
        return out;
    }
}
