package tracker.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import tracker.RunStatus;

/**
 * An experiment as stored: its identity ({@code name@version}), the canonical definition and its
 * hash, and - once {@link Experiments#live} filled them in - its runs counted by status.
 */
public record ExperimentRecord(String id, String name, int version, String hash, String state, String definitionYaml,
                               String source, Instant createdAt, Map<String, Long> counts, int cells,
                               List<String> models, List<String> datasets, long leaseMillis, int maxAttempts,
                               String command, Map<String, Object> objective, List<String> cellIds,
                               Map<String, Object> earlyStopping, String description, List<String> tags, String derivedFrom,
                               Instant updatedAt, Instant lastActivity, Lifecycle.Mark mark) {

    /**
     * The statuses runs are counted by; "failed" counts every kind of failure ({@link RunStatus#FAILURES}).
     * Text shows "pruned" only when some run was ({@link #shownStatuses}); JSON always has it.
     */
    public static final List<String> STATUSES = List.of("pending", "running", "completed", "failed", "cancelled", "pruned");

    /**
     * The statuses a text rendering of these counts shows: all of {@link #STATUSES}, but "pruned"
     * only when some run was, so experiments without early stopping read as they always did.
     */
    public static List<String> shownStatuses(Map<?, ?> counts) {
        return STATUSES.stream().filter(s -> !s.equals(RunStatus.PRUNED) || counts.get(s) instanceof Number n && n.longValue() > 0).toList();
    }

    public static String id(String name, int version) {
        return name + "@" + version;
    }

    public boolean ready() {
        return "ready".equals(state);
    }

    public long total() {
        return counts.getOrDefault("total", 0L);
    }

    /**
     * The same record with its counts by status filled in. None is stored apart from the runs'
     * own state (a count kept by increments is wrong for good after a kill between the increment
     * and the change it counts): the total is the size of the cells' queues, finished runs are the
     * results pages' counts, runs in flight the cells' entries, and the rest are pending.
     */
    public ExperimentRecord withCounts(long total, long running, Results.Counts finished) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("pending", Math.max(0, total - finished.finished() - running));
        c.put("running", running);
        c.put("completed", finished.completed());
        c.put("failed", finished.failed());
        c.put("cancelled", finished.cancelled());
        c.put("pruned", finished.pruned());
        c.put("total", total);
        return new ExperimentRecord(id, name, version, hash, state, definitionYaml, source, createdAt, c, cells, models, datasets,
                leaseMillis, maxAttempts, command, objective, cellIds, earlyStopping, description, tags, derivedFrom, updatedAt,
                latest(latest(updatedAt, lastActivity), finished.lastEnd() > 0 ? Instant.ofEpochMilli(finished.lastEnd()) : null), mark);
    }

    @SuppressWarnings("unchecked")
    static ExperimentRecord from(Document d) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Object planned = d.get("planned"); // runs inserted so far, while planning: until the queues grow to them
        counts.put("total", planned instanceof Number n ? n.longValue() : 0L);
        Instant created = d.getDate("createdAt") == null ? null : d.getDate("createdAt").toInstant();
        Instant updated = d.getDate("updatedAt") == null ? created : d.getDate("updatedAt").toInstant();
        return new ExperimentRecord(d.getString("_id"), d.getString("name"), d.getInteger("version"), d.getString("hash"),
                d.getString("state"), d.getString("definition"), d.getString("source"),
                d.getDate("createdAt") == null ? null : d.getDate("createdAt").toInstant(), counts,
                d.getInteger("cells", 0), (List<String>) d.get("models", List.class), (List<String>) d.get("datasets", List.class),
                d.get("leaseMillis", Number.class) == null ? 600_000L : d.get("leaseMillis", Number.class).longValue(),
                d.getInteger("maxAttempts", 3), d.getString("command"),
                d.get("objective", Document.class) == null ? Map.of() : new LinkedHashMap<>(d.get("objective", Document.class)),
                d.get("cellIds") == null ? List.of() : (List<String>) d.get("cellIds", List.class),
                d.get("earlyStopping", Document.class),
                d.getString("description"), d.get("tags") == null ? null : (List<String>) d.get("tags", List.class), d.getString("derivedFrom"),
                updated, updated, Lifecycle.markOf(d));
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** The same record with a later sign of life of its runs (ms), if it is later than what it has. */
    ExperimentRecord seenAt(long millis) {
        Instant seen = Instant.ofEpochMilli(millis);
        return new ExperimentRecord(id, name, version, hash, state, definitionYaml, source, createdAt, counts, cells, models, datasets,
                leaseMillis, maxAttempts, command, objective, cellIds, earlyStopping, description, tags, derivedFrom, updatedAt,
                latest(lastActivity, seen), mark);
    }
}
