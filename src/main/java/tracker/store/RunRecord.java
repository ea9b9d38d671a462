package tracker.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Projections;

import tracker.RunStatus;

/**
 * One run as reports and exports read it: who it is (cell, trial, replicate, seed, parameters),
 * how it went (status, attempt, times, exit code), where it ran (host, git commit) and its
 * summary - never its history, output or metric documents.
 *
 * @param params      parameter values with the types they were planned with: an integer stays a
 *                    {@link Integer} or {@link Long}, a float a {@link Double}, text a {@link String}
 * @param objective   the objective's summary; null before its first value
 * @param lastEpoch   the last epoch any metric was logged at (a run logged by steps only: its last step)
 * @param noObjective completed without a value of the objective: never ranked
 * @param stepsOnly   logged steps but no epoch: its summary (and {@code lastEpoch}, the objective's epochs) count steps
 * @param claimedAt   when its last attempt was claimed
 * @param startedAt   when {@code tracker run} started its last attempt's command; null for a run
 *                    claimed with {@code next} (which knows nothing of a command)
 * @param endedAt     when it ended (completed, failed, cancelled ...); null while pending or running
 * @param exitCode    its command's exit code, as {@code tracker run} or {@code end --exit-code} recorded it; null
 *                    unless it has finished
 * @param host        the machine of its last claim
 * @param gitCommit   the commit of the worker's working directory at its last claim, when it was a repository
 * @param gitDirty    whether that working directory had uncommitted changes to tracked files
 * @param metrics     phase -> metric -> summary; empty unless asked for ({@link Export#runsOf})
 */
public record RunRecord(String id, String experiment, String model, String dataset, int trial, int replicate, Long seed,
                        String status, int attempt, String worker, Map<String, Object> params, ObjectiveSummary objective,
                        Long lastEpoch, boolean noObjective, boolean stepsOnly, Instant claimedAt, Instant startedAt, Instant endedAt,
                        Integer exitCode, String host, String gitCommit, Boolean gitDirty,
                        Map<String, Map<String, MetricSummary>> metrics) {

    /** The objective over a run's epochs: its best value (the earliest epoch that reached it) and its last. */
    public record ObjectiveSummary(Double best, Long bestEpoch, Double last, Long lastEpoch) {
    }

    /** One metric over a run's epochs: its last value, and its smallest and largest (never NaN). */
    public record MetricSummary(Double last, Long lastEpoch, Double min, Long minEpoch, Double max, Long maxEpoch) {
    }

    /**
     * The best value of the objective so far (what ranks a completed run); null when it has none, or
     * completed without a finite one (then it is never ranked).
     */
    public Double objectiveBest() {
        return objective == null || noObjective ? null : objective.best();
    }

    /** The epoch of {@link #objectiveBest} (the earliest that reached it); null when there is none. */
    public Long objectiveBestEpoch() {
        return objective == null || noObjective || objective.best() == null ? null : objective.bestEpoch();
    }

    /** The objective at the last epoch logged (may be NaN); null before any. */
    public Double objectiveLast() {
        return objective == null ? null : objective.last();
    }

    /**
     * The epoch that counts for {@code rule} - the one rule every report and export uses: the
     * objective's best epoch; or its last epoch (the run's last, when it never logged the
     * objective). Null when there is none - a run logged by steps only has no epoch to choose.
     */
    public Long chosenEpoch(ReadModel.Epoch rule) {
        if (stepsOnly) {
            return null;
        }
        if (rule == ReadModel.Epoch.LAST) {
            return objective != null && objective.lastEpoch() != null ? objective.lastEpoch() : lastEpoch;
        }
        return objective == null ? null : objective.bestEpoch();
    }

    /** Seconds from the claim of its last attempt to its end; null unless it has finished. */
    public Double durationSeconds() {
        if (!RunStatus.isFinished(status) || claimedAt == null || endedAt == null) {
            return null;
        }
        return (endedAt.toEpochMilli() - claimedAt.toEpochMilli()) / 1000.0;
    }

    /** The fields read for a record: an inclusion, so notes, tags, output and history are never read. */
    static Bson projection(boolean withMetrics) {
        List<String> fields = new ArrayList<>(List.of("experiment", "model", "dataset", "trial", "replicate", "seed",
                "status", "attempt", "worker", "params", "summary.objective", "summary.lastEpoch", "summary.basis", "noObjective", "claimedAt",
                "startedAt", "endedAt", "exitCode", "provenance.host", "provenance.git.commit", "provenance.git.dirty"));
        if (withMetrics) {
            fields.add("summary.metrics");
        }
        return Projections.include(fields);
    }

    static RunRecord of(Document r) {
        Document summary = r.get("summary", Document.class);
        Document provenance = r.get("provenance", Document.class);
        Document git = provenance == null ? null : provenance.get("git", Document.class);
        Document params = r.get("params", Document.class);
        Instant claimed = instant(r.getDate("claimedAt"));
        Instant started = instant(r.getDate("startedAt"));
        return new RunRecord(r.getString("_id"), r.getString("experiment"), r.getString("model"), r.getString("dataset"),
                intOf(r.get("trial")), intOf(r.get("replicate")), longOf(r.get("seed")), r.getString("status"),
                intOf(r.get("attempt")), r.getString("worker"), params == null ? Map.of() : new LinkedHashMap<>(params),
                objective(summary == null ? null : summary.get("objective", Document.class)),
                summary == null ? null : longOf(summary.get("lastEpoch")), Boolean.TRUE.equals(r.get("noObjective")),
                summary != null && "steps".equals(summary.get("basis")),
                claimed,
                // startedAt is set by 'tracker run' only; an attempt claimed later with 'next' leaves an earlier one behind
                started != null && claimed != null && started.isBefore(claimed) ? null : started,
                instant(r.getDate("endedAt")),
                // a requeued run keeps the exit code of the end it no longer has
                RunStatus.isFinished(r.getString("status")) && r.get("exitCode") instanceof Number n ? n.intValue() : null,
                provenance == null ? null : provenance.getString("host"), git == null ? null : git.getString("commit"),
                git == null || !(git.get("dirty") instanceof Boolean b) ? null : b,
                metrics(summary == null ? null : summary.get("metrics", Document.class)));
    }

    private static ObjectiveSummary objective(Document o) {
        return o == null ? null : new ObjectiveSummary(doubleOf(o.get("best")), longOf(o.get("bestEpoch")), doubleOf(o.get("last")),
                longOf(o.get("lastEpoch")));
    }

    private static Map<String, Map<String, MetricSummary>> metrics(Document stored) {
        if (stored == null) {
            return Map.of();
        }
        Map<String, Map<String, MetricSummary>> out = new LinkedHashMap<>();
        stored.forEach((phase, metrics) -> {
            Map<String, MetricSummary> byName = new LinkedHashMap<>();
            ((Document) metrics).forEach((name, value) -> {
                Document m = (Document) value;
                byName.put(name, new MetricSummary(doubleOf(m.get("last")), longOf(m.get("lastEpoch")), doubleOf(m.get("min")),
                        longOf(m.get("minEpoch")), doubleOf(m.get("max")), longOf(m.get("maxEpoch"))));
            });
            out.put(phase, byName);
        });
        return out;
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    private static int intOf(Object v) {
        return v instanceof Number n ? n.intValue() : 0;
    }

    private static Long longOf(Object v) {
        return v instanceof Number n ? n.longValue() : null;
    }

    private static Double doubleOf(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }
}
