package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.RunStatus;
import tracker.TrackerException;
import tracker.plan.EarlyStopper;
import tracker.protocol.MetricValues;
import tracker.spec.Definition;
import tracker.protocol.TrainerLine;

/**
 * {@code tracker log}: per-epoch and per-step metrics ({@link Epochs}, {@link Steps}) and the
 * run's summary of them ({@link Summary}), in three writes:
 * <ol>
 * <li>a fenced update of the run marks a batch in progress ({@code logging}) - a stale worker is
 *     refused here and writes nothing;</li>
 * <li>the metric documents (epochs, then steps): <b>the commit point</b> of the values;</li>
 * <li>the summary, only the paths that change, with the lease renewal, the progress, the
 *     checkpoint, artifacts and notes, as a compare-and-set on the summary's version that also
 *     clears the mark.</li>
 * </ol>
 * The summary never gets ahead of the metrics. A batch killed after its metrics leaves its mark:
 * the next batch of the run, or its {@code end}, or a repair, then rebuilds the summary from the
 * stored epochs - as it does whenever an epoch comes that may replace a stored value.
 */
public final class Metrics {
    private static final FindOneAndUpdateOptions BEFORE = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE);
    private static final int MAX_TRIES = 50;
    /** The summary's {@code basis} when it is folded from steps (absent: from epochs). */
    static final String STEP_BASIS = "steps";

    private final Database db;
    private final Experiments experiments;
    private final Epochs epochs;
    private final Steps steps;
    private final RunWrites writes;
    /** What of an experiment its batches are summarized and judged by, read once per experiment: a worker logs many batches. */
    private record Scoring(Summary.Objective objective, Definition.EarlyStopping stopping) {
    }

    private final Map<String, Scoring> scoring = new HashMap<>();
    private final Rungs rungs;

    public Metrics(Database db) {
        this.db = db;
        this.experiments = new Experiments(db);
        this.epochs = new Epochs(db);
        this.steps = new Steps(db);
        this.writes = new RunWrites(db);
        this.rungs = new Rungs(db);
    }

    /** What to attach to the run besides metric values; {@code progress} null or a fraction 0..1. */
    public record Extras(Map<String, String> artifacts, String checkpoint, String note, Double progress, List<String> tags,
                         String initFrom) {
        public static final Extras NONE = new Extras(Map.of(), null, null, null, List.of(), null);

        public Extras {
            tags = List.copyOf(tags);
        }

        public boolean isEmpty() {
            return artifacts.isEmpty() && checkpoint == null && note == null && progress == null && tags.isEmpty() && initFrom == null;
        }
    }

    /** Tags a run may carry in all: they label it, and the run document must stay small. */
    public static final int MAX_RUN_TAGS = 100;

    /**
     * Writes what a batch of trainer lines says, in one batch: their values; the last checkpoint
     * and progress; every artifact (a name given again: the later URI); their notes as one, line by line;
     * their tags.
     */
    public EarlyStopper.Verdict write(String runId, String token, List<TrainerLine> lines) {
        List<MetricValues> batch = new ArrayList<>();
        Map<String, String> artifacts = new LinkedHashMap<>();
        String checkpoint = null;
        String initFrom = null;
        String note = null;
        Double progress = null;
        java.util.Set<String> tags = new java.util.LinkedHashSet<>();
        for (TrainerLine l : lines) {
            tags.addAll(l.tags());
            if (l.values() != null) {
                batch.add(l.values());
            }
            artifacts.putAll(l.artifacts());
            checkpoint = l.checkpoint() != null ? l.checkpoint() : checkpoint;
            initFrom = l.initFrom() != null ? l.initFrom() : initFrom;
            progress = l.progress() != null ? l.progress() : progress;
            note = l.note() != null ? (note == null ? l.note() : note + "\n" + l.note()) : note;
        }
        return write(runId, token, batch, new Extras(artifacts, checkpoint, note, progress, List.copyOf(tags), initFrom));
    }

    /**
     * Writes one batch for the run; exit 6 (nothing written) when the token is stale. Under early
     * stopping, the batch's epochs are then judged: a run told to stop is ended {@code pruned} here,
     * after its epochs are stored, so the verdict is recorded before any worker hears it.
     *
     * @return the early-stopping verdict on the batch's last judged epoch; null when none was judged
     */
    public EarlyStopper.Verdict write(String runId, String token, List<MetricValues> batch, Extras extras) {
        new Lifecycle(db).requireWritableRun(runId);
        if (!extras.tags().isEmpty()) {
            Document tagged = db.collections().runs().find(Filters.eq("_id", runId)).projection(new Document("tags", 1)).first();
            java.util.Set<String> all = new java.util.LinkedHashSet<>(tagged == null ? List.of() : tagged.getList("tags", String.class, List.of()));
            all.addAll(extras.tags());
            if (all.size() > MAX_RUN_TAGS) {
                throw TrackerException.invalid("run " + runId + " would have " + all.size() + " tags, more than " + MAX_RUN_TAGS
                        + "; nothing was logged", "tags label a run; put values in metrics or notes");
            }
        }
        if (extras.initFrom() != null) {
            // The link first: a log cut before the run records it leaves a link that names a run
            // which does not say so, and Links ignores it; the other way round would lose it.
            new Links(db).initFrom(runId, extras.initFrom());
        }
        String mark = Tokens.fresh();
        Date now = db.clock().now();
        Document run = db.collections().runs().findOneAndUpdate(RunWrites.fenced(runId, token),
                Updates.combine(Updates.set("logging", mark), Updates.set("heartbeatAt", now)), BEFORE);
        if (run == null) {
            EarlyStopper.Verdict pruned = alreadyPruned(runId, token);
            if (pruned != null) {
                return pruned;
            }
            throw writes.stale(runId, token);
        }
        // A mark already there: an earlier batch did not finish (killed after its metrics, perhaps).
        boolean rebuild = run.get("logging") != null;
        boolean ours = true; // the mark is ours until a re-read says another batch's replaced it
        List<MetricValues> byEpoch = batch.stream().filter(v -> !v.isStep()).toList();
        List<MetricValues> bySteps = batch.stream().filter(MetricValues::isStep).toList();
        if (!byEpoch.isEmpty()) {
            epochs.write(runId, run.getString("experiment"), byEpoch, now);
        }
        if (!bySteps.isEmpty()) {
            steps.write(runId, run.getString("experiment"), bySteps, now);
        }
        Summary.Objective objective = objective(run.getString("experiment"));
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            Map<String, Object> changed = rebuild ? null : folded(run.get("summary", Document.class), byEpoch, bySteps, objective);
            if (changed == null) {
                changed = rebuilt(runId, objective);
            }
            long version = version(run);
            List<Bson> updates = summaryUpdates(changed, version);
            Date renewed = db.clock().now();
            updates.add(Updates.set("heartbeatAt", renewed));
            updates.add(Updates.set("leaseUntil", new Date(renewed.getTime() + run.get("leaseMillis", Number.class).longValue())));
            extras.artifacts().forEach((k, v) -> updates.add(Updates.set("artifacts." + k, v)));
            if (extras.checkpoint() != null) {
                updates.add(Updates.set("checkpoint", extras.checkpoint()));
            }
            if (extras.initFrom() != null) {
                updates.add(Updates.set(Links.INIT_FROM, extras.initFrom()));
            }
            if (extras.progress() != null) {
                updates.add(Updates.set("progress", new Document("fraction", extras.progress()).append("at", renewed)));
            }
            if (!extras.tags().isEmpty()) {
                updates.add(Updates.addEachToSet("tags", extras.tags()));
            }
            if (extras.note() != null) {
                updates.add(Updates.pushEach("notes", List.of(new Document("at", renewed).append("text", extras.note())),
                        new PushOptions().slice(-Runs.HISTORY)));
            }
            List<Bson> filter = new ArrayList<>(List.of(RunWrites.fenced(runId, token), versionIs(version)));
            if (ours) {
                filter.add(Filters.eq("logging", mark));
                updates.add(Updates.unset("logging")); // a mark of another batch stays, for it to clear
            }
            if (db.collections().runs().updateOne(Filters.and(filter), Updates.combine(updates)).getModifiedCount() == 1) {
                return judge(runId, token, run, byEpoch, objective);
            }
            // The summary changed under us (another batch of this run), or the lease was lost: look again.
            run = db.collections().runs().find(Filters.eq("_id", runId)).first();
            if (run == null || !token.equals(run.getString("token")) || !"running".equals(run.getString("status"))) {
                EarlyStopper.Verdict pruned = alreadyPruned(runId, token);
                if (pruned != null) {
                    return pruned;
                }
                throw writes.stale(runId, token);
            }
            rebuild = true;
            ours = mark.equals(run.getString("logging"));
        }
        throw new TrackerException(ExitCode.CONFLICT, "run " + runId + " kept changing while logging", "try again");
    }

    /**
     * The verdict again for a batch that comes after early stopping ended the run under this very
     * token (a retry whose first reply was lost, a trainer that printed one more line): the worker
     * hears "pruned" again, not "lease lost". Nothing of the batch is written. Null otherwise.
     */
    private EarlyStopper.Verdict alreadyPruned(String runId, String token) {
        Document run = db.collections().runs().find(Filters.eq("_id", runId)).projection(new Document("lastEnd", 1).append("status", 1)
                .append("message", 1)).first();
        Document last = run == null ? null : run.get("lastEnd", Document.class);
        if (last != null && token.equals(last.getString("token")) && RunWrites.End.pruned.name().equals(last.getString("how"))
                && RunStatus.PRUNED.equals(run.getString("status"))) {
            return new EarlyStopper.Verdict(true, String.valueOf(run.getString("message")));
        }
        return null;
    }

    /** Early stopping's verdict on the batch, with the run ended pruned when it says stop. */
    private EarlyStopper.Verdict judge(String runId, String token, Document run, List<MetricValues> byEpoch, Summary.Objective objective) {
        Definition.EarlyStopping rule = byEpoch.isEmpty() ? null : stoppingRule(run.getString("experiment"));
        if (rule == null) {
            return null;
        }
        EarlyStopper.Verdict verdict = rungs.judge(rule, objective, run, byEpoch);
        if (verdict != null && verdict.stop()) {
            writes.end(runId, token, RunWrites.End.pruned, null, verdict.reason());
        }
        return verdict;
    }

    private Scoring scoring(String experimentId) {
        return scoring.computeIfAbsent(experimentId, id -> {
            ExperimentRecord e = experiments.byId(id).orElse(null);
            return new Scoring(Summary.Objective.of(e == null ? Map.of() : e.objective()), e == null ? null : Rungs.rule(e.earlyStopping()));
        });
    }

    /** The early-stopping rule of an experiment, or null. */
    private Definition.EarlyStopping stoppingRule(String experimentId) {
        return scoring(experimentId).stopping();
    }

    /** The objective of an experiment. */
    Summary.Objective objective(String experimentId) {
        return scoring(experimentId).objective();
    }

    /**
     * The summary paths a batch changes, or null when the summary must be rebuilt: folded from the
     * epochs, or - for a run that never logged an epoch - from the steps (see {@link Summary}).
     */
    private static Map<String, Object> folded(Document summary, List<MetricValues> byEpoch, List<MetricValues> bySteps,
            Summary.Objective objective) {
        boolean stepBasis = summary != null && STEP_BASIS.equals(summary.getString("basis"));
        if (stepBasis) {
            return byEpoch.isEmpty() ? Summary.add(summary, bySteps, objective) : null; // a first epoch: from the epochs now
        }
        boolean anyEpoch = summary != null && summary.get("lastEpoch") != null;
        if (!byEpoch.isEmpty() || anyEpoch || bySteps.isEmpty()) {
            return Summary.add(summary, byEpoch, objective);
        }
        Map<String, Object> changed = Summary.add(summary, bySteps, objective);
        if (changed != null) {
            changed.put("basis", STEP_BASIS);
        }
        return changed;
    }

    /** The summary rebuilt from the run's stored epochs (or steps, when it has no epoch), as the paths to set. */
    Map<String, Object> rebuilt(String runId, String experimentId) {
        return rebuilt(runId, objective(experimentId));
    }

    private Map<String, Object> rebuilt(String runId, Summary.Objective objective) {
        List<Epochs.Epoch> all = epochs.of(runId);
        if (!all.isEmpty()) {
            Map<String, Object> paths = Summary.of(all, objective);
            paths.put("basis", null);
            return paths;
        }
        List<Epochs.Epoch> bySteps = steps.of(runId).stream().map(Steps.Step::asPoint).toList();
        Map<String, Object> paths = Summary.of(bySteps, objective);
        paths.put("basis", bySteps.isEmpty() ? null : STEP_BASIS);
        return paths;
    }

    static long version(Document run) {
        Document s = run.get("summary", Document.class);
        return s == null || s.get("version") == null ? 0 : s.get("version", Number.class).longValue();
    }

    static Bson versionIs(long version) {
        return version == 0 ? Filters.exists("summary.version", false) : Filters.eq("summary.version", version);
    }

    /** Sets (or unsets, for null) the given summary paths and moves the version on. */
    static List<Bson> summaryUpdates(Map<String, Object> paths, long version) {
        List<Bson> updates = new ArrayList<>();
        paths.forEach((path, value) -> updates.add(value == null ? Updates.unset("summary." + path) : Updates.set("summary." + path, value)));
        updates.add(Updates.set("summary.version", version + 1));
        return updates;
    }

    /** Every epoch of a run, in order. */
    public List<Epochs.Epoch> epochs(String runId) {
        return epochs.of(runId);
    }

    /** Every step of a run, in order. */
    public List<Steps.Step> steps(String runId) {
        return steps.of(runId);
    }
}
