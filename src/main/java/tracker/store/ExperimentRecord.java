package tracker.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * An experiment as stored: its identity ({@code name@version}), the canonical definition and its
 * hash, and run counts by status that every state change keeps up to date (so that listing
 * experiments never scans their runs).
 */
public record ExperimentRecord(String id, String name, int version, String hash, String state, String definitionYaml,
                               String source, Instant createdAt, Map<String, Long> counts, int cells,
                               List<String> models, List<String> datasets, long leaseMillis, int maxAttempts,
                               String command, Map<String, Object> objective, List<String> cellIds) {

    public static final List<String> STATUSES = List.of("pending", "running", "completed", "failed", "cancelled");

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
     * The same record with the pending and running counts filled in. Only the total and the
     * finished counts are stored (a claim would otherwise be one more durable write); runs in
     * flight are counted from the cells, and the rest are pending.
     */
    public ExperimentRecord withRunning(long running) {
        Map<String, Long> c = new LinkedHashMap<>();
        long finished = 0;
        for (String s : List.of("completed", "failed", "cancelled")) {
            finished += counts.getOrDefault(s, 0L);
        }
        c.put("pending", Math.max(0, total() - finished - running));
        c.put("running", running);
        for (String s : List.of("completed", "failed", "cancelled")) {
            c.put(s, counts.getOrDefault(s, 0L));
        }
        c.put("total", total());
        return new ExperimentRecord(id, name, version, hash, state, definitionYaml, source, createdAt, c, cells, models, datasets,
                leaseMillis, maxAttempts, command, objective, cellIds);
    }

    @SuppressWarnings("unchecked")
    static ExperimentRecord from(Document d) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Document c = d.get("counts", Document.class);
        if (c != null) {
            c.forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
        }
        return new ExperimentRecord(d.getString("_id"), d.getString("name"), d.getInteger("version"), d.getString("hash"),
                d.getString("state"), d.getString("definition"), d.getString("source"),
                d.getDate("createdAt") == null ? null : d.getDate("createdAt").toInstant(), counts,
                d.getInteger("cells", 0), (List<String>) d.get("models", List.class), (List<String>) d.get("datasets", List.class),
                d.get("leaseMillis", Number.class) == null ? 600_000L : d.get("leaseMillis", Number.class).longValue(),
                d.getInteger("maxAttempts", 3), d.getString("command"),
                d.get("objective", Document.class) == null ? Map.of() : new LinkedHashMap<>(d.get("objective", Document.class)),
                d.get("cellIds") == null ? List.of() : (List<String>) d.get("cellIds", List.class));
    }
}
