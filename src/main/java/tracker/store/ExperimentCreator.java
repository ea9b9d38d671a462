package tracker.store;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.plan.GridStages;
import tracker.plan.Plan;
import tracker.plan.QueueLayout;
import tracker.spec.Canonical;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.spec.Extension;
import tracker.spec.Origins;

/**
 * {@code tracker create}: stores a definition and plans its runs, safely under races. The
 * experiment document is inserted first (its unique id decides who created it) in state
 * "planning"; runs are inserted with ids derived from what they are, so any number of processes
 * may plan at once, or finish a plan a crashed process began; the state becomes "ready" when all
 * runs are in. Only single-document atomic operations are used (no transactions).
 */
public final class ExperimentCreator {
    public enum Mode { CREATE, EXTEND, NEW_VERSION }

    public enum Action { created, reconnected, extended }

    /**
     * @param experiment    the version created, reconnected to or extended
     * @param plannedRuns   all runs of the (new) definition; the stored counts may lag behind it for
     *                      a moment while a racing process still adds its share
     * @param latestVersion the newest version of the name as this create saw it; above
     *                      {@code experiment.version()} when it reconnected to an older version
     */
    public record Outcome(Action action, ExperimentRecord experiment, long plannedRuns, long newRuns, List<String> changes,
                          int latestVersion) {
        /** True when the definition is that of a version older than the latest. */
        public boolean olderVersion() {
            return experiment.version() < latestVersion;
        }
    }

    private final Database db;
    private final Experiments experiments;
    private final Runs runs;
    private final Cells cells;

    public ExperimentCreator(Database db) {
        this.db = db;
        this.experiments = new Experiments(db);
        this.runs = new Runs(db);
        this.cells = new Cells(db);
        experiments.ensureIndexes();
        cells.ensureIndexes();
    }

    /**
     * A definition identical to any stored version of its name (the same canonical hash)
     * reconnects to that version, whatever the mode: its runs exist, and planning them again would
     * only duplicate them. Otherwise the mode decides what a different definition does.
     */
    public Outcome create(Definition def, String source, Mode mode) {
        return create(def, Origins.NONE, source, mode);
    }

    /** @param origins where each value of the definition was written, kept for {@code show --origins} */
    public Outcome create(Definition def, Origins origins, String source, Mode mode) {
        if (def.derivedFrom() != null && experiments.byId(def.derivedFrom()).isEmpty()) {
            TrackerException missing = experiments.notFound(def.derivedFrom());
            throw new TrackerException(ExitCode.NOT_FOUND, "derived_from names " + def.derivedFrom() + ", which does not exist; nothing was stored",
                    missing.hint());
        }
        String hash = Canonical.hash(def);
        Plan plan = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            // Read in this order, a version made with this hash between the two reads is still
            // seen: then it is the latest. One made after both makes our insert fail, and the next
            // round finds it.
            ExperimentRecord same = experiments.newestWithHash(def.name(), hash).orElse(null);
            ExperimentRecord latest = experiments.latest(def.name()).orElse(null);
            refuseDeleting(same);
            refuseDeleting(latest);
            if (same == null && latest != null && latest.hash().equals(hash)) {
                same = latest;
            }
            if (same != null) {
                // Its plan, grids grown through extensions included (the stages went in with its definition).
                Plan planned = Plan.of(def, experiments.gridStages(same.id()));
                long n = same.ready() || awaitPlanner(same.id()) ? 0 : finishPlan(same.id(), planned, base(same.id()));
                int newest = latest == null ? same.version() : Math.max(latest.version(), same.version());
                return new Outcome(Action.reconnected, reread(same.name(), same.version()), planned.runs().size(), n, List.of(), newest);
            }
            if (latest == null) {
                plan = plan != null ? plan : Plan.of(def);
                if (experiments.insert(newDocument(def, hash, source, 1, plan).append(Experiments.ORIGINS, origins.pairs()))) {
                    long n = finishPlan(ExperimentRecord.id(def.name(), 1), plan, null);
                    return new Outcome(Action.created, reread(def.name(), 1), plan.runs().size(), n, List.of(), 1);
                }
                continue; // someone else created it a moment ago: compare with theirs
            }
            Definition old = DefinitionParser.parse(latest.definitionYaml(), latest.id() + " (stored)");
            List<String> diff = Canonical.diff(old, def);
            if (mode == Mode.NEW_VERSION) {
                plan = plan != null ? plan : Plan.of(def);
                int version = latest.version() + 1;
                if (experiments.insert(newDocument(def, hash, source, version, plan).append(Experiments.ORIGINS, origins.pairs()))) {
                    long n = finishPlan(ExperimentRecord.id(def.name(), version), plan, null);
                    return new Outcome(Action.created, reread(def.name(), version), plan.runs().size(), n, diff, version);
                }
                continue;
            }
            if (mode == Mode.EXTEND) {
                new Lifecycle(db).requireWritable(latest.id(), "extend");
                List<String> refused = Extension.refusals(old, def);
                if (!refused.isEmpty()) {
                    List<String> details = new ArrayList<>(refused);
                    details.add("");
                    details.add("the whole difference:");
                    details.addAll(diff);
                    throw new TrackerException(ExitCode.CONFLICT, "cannot extend " + latest.id()
                            + ": --extend only adds models, datasets, suites, trials, replicates or grid values", details,
                            "use --new-version to start " + def.name() + "@" + (latest.version() + 1)
                                    + " (the results of " + latest.id() + " stay as they are)", null);
                }
                // Read after latest: changed since, they belong to another hash, and the update below fails.
                GridStages from = experiments.gridStages(latest.id());
                if (!latest.ready() && !awaitPlanner(latest.id())) {
                    // An earlier extension (or the creation) was cut short: its runs first, else the plan
                    // below would take them for planned (they are in its base) and never insert them.
                    finishPlan(latest.id(), Plan.of(old, from), base(latest.id()));
                    continue;
                }
                GridStages grown = from.extendedBy(old, def);
                Plan extended = Plan.of(def, grown);
                boolean won = experiments.updateIf(Filters.and(Filters.eq("_id", latest.id()), Filters.eq("hash", latest.hash()),
                                Filters.exists(Lifecycle.ARCHIVED, false), Filters.exists(Lifecycle.DELETING, false)),
                        Updates.combine(
                                Updates.set("hash", hash),
                                // the plan's other half, in the same update as the definition: whoever finishes
                                // this extension plans exactly these runs
                                Updates.set("grids", StoredGrids.document(grown)),
                                Updates.set("extendingGrids", StoredGrids.document(from)),
                                Updates.set("definition", Canonical.yaml(def)),
                                Updates.set("source", source),
                                Updates.set(Experiments.ORIGINS, origins.pairs()),
                                Experiments.describing(def),
                                Updates.set("updatedAt", new Date()),
                                Updates.set("state", "planning"),
                                Updates.set("extendingFrom", latest.definitionYaml()),
                                Updates.set("cells", extended.cells()),
                                Updates.set("models", List.copyOf(def.models().keySet())),
                                Updates.set("datasets", List.copyOf(def.datasets().keySet())),
                                Experiments.pushHistory(extended(hash, extended.runs().size(), Extension.repriced(old, def)))));
                if (!won) {
                    continue; // changed under us: look again
                }
                // Only the runs the old plan did not have: the old ones are there, with their results.
                long n = finishPlan(latest.id(), extended, Plan.of(old, from));
                return new Outcome(Action.extended, reread(latest.name(), latest.version()), extended.runs().size(), n, diff,
                        latest.version());
            }
            throw new TrackerException(ExitCode.CONFLICT, "experiment '" + def.name() + "' exists (" + latest.id()
                    + ") with a different definition:", diff,
                    "--extend adds to it (new models, datasets, trials, replicates), --new-version starts "
                            + def.name() + "@" + (latest.version() + 1) + ", or rename the experiment", null);
        }
        throw new TrackerException(ExitCode.CONFLICT, "experiment '" + def.name() + "' keeps changing under us",
                "another process is creating or extending it; try again");
    }

    /**
     * A version being deleted (or a placeholder of gc) is neither reconnected to nor extended: its
     * documents are going away, and the next version number is only known once it is gone (a
     * complete delete frees its number: the next create of the name takes the latest remaining
     * version + 1, which may be the deleted one's - never while any document of it is left).
     */
    private void refuseDeleting(ExperimentRecord e) {
        if (e != null && e.mark() == Lifecycle.Mark.deleting) {
            throw new TrackerException(ExitCode.CONFLICT, "experiment " + e.id() + " is being deleted; it cannot be created, "
                    + "reconnected to or extended now", "finish the delete with 'tracker delete -e " + e.id()
                    + "' (or 'tracker gc'), then create it again");
        }
    }

    /**
     * Waits while another process plans the experiment and makes progress. True when it became
     * ready; false when planning stalled for {@link #STALL_MILLIS} (its planner died): then the
     * caller finishes the plan itself.
     */
    private boolean awaitPlanner(String id) {
        long lastTotal = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            ExperimentRecord e = experiments.byId(id).orElseThrow();
            if (e.ready()) {
                return true;
            }
            if (e.total() != lastTotal) {
                lastTotal = e.total();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_MILLIS * 1_000_000L) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static final long STALL_MILLIS = 5000;

    /**
     * Inserts the runs still missing, counts them, sizes the cells' queues and marks the experiment
     * ready. Idempotent; {@code base} is the plan an extension started from (null for a new one).
     */
    private long finishPlan(String id, Plan plan, Plan base) {
        QueueLayout layout = QueueLayout.of(plan, base);
        long n = runs.insertMissing(id, layout.runs(), batch -> experiments.planned(id, batch));
        // Queues grow only after their runs exist, so no claim finds a position without a run.
        // A live 'tracker priority' stays, unless this extension changed the model's priority itself.
        Set<String> repriced = new HashSet<>();
        if (base != null) {
            Extension.repriced(base.definition(), plan.definition()).forEach(r -> repriced.add(r.model()));
        }
        cells.ensure(id, plan.definition(), layout, repriced);
        experiments.addCells(id, layout.cellSizes().keySet().stream().map(c -> Runs.cellId(id, c)).sorted().toList());
        experiments.updateIf(Filters.eq("_id", id), Updates.combine(Updates.set("state", "ready"), Updates.unset("extendingFrom"),
                Updates.unset("extendingGrids")));
        return n;
    }

    /** The plan an interrupted extension started from, or null when the experiment was not being extended. */
    private Plan base(String id) {
        Experiments.ExtendingFrom from = experiments.extendingFrom(id);
        return from == null ? null : Plan.of(DefinitionParser.parse(from.definitionYaml(), id + " (before the extension)"), from.grids());
    }

    private ExperimentRecord reread(String name, int version) {
        return experiments.byId(ExperimentRecord.id(name, version)).orElseThrow();
    }

    private static Document newDocument(Definition def, String hash, String source, int version, Plan plan) {
        Date now = new Date();
        return new Document("_id", ExperimentRecord.id(def.name(), version))
                .append("name", def.name())
                .append("version", version)
                .append("hash", hash)
                .append("state", "planning")
                .append("definition", Canonical.yaml(def))
                .append("source", source)
                .append("createdAt", now)
                .append("updatedAt", now)
                .append("planned", 0L)
                .append("cells", plan.cells())
                .append("models", List.copyOf(def.models().keySet()))
                .append("datasets", List.copyOf(def.datasets().keySet()))
                // What claims need, without parsing the definition in every worker process.
                .append("leaseMillis", def.runs().lease().toMillis())
                .append("maxAttempts", def.runs().maxAttempts())
                .append("command", def.command())
                .append("objective", new Document("metric", def.objective().metric())
                        .append("phase", def.objective().phase()).append("goal", def.objective().goal().name()))
                .append("earlyStopping", Rungs.document(def.search().earlyStopping()))
                .append("description", def.description())
                .append("tags", def.tags())
                .append("derivedFrom", def.derivedFrom())
                .append("history", List.of(historyEntry("created", hash, plan.runs().size())));
    }

    /**
     * The history entry of an extension; with the models whose priority it changed, [{model, from,
     * to}] (a list: a model's name may hold a dot, which a field name must not).
     */
    private static Document extended(String hash, int runs, List<Extension.Repriced> repriced) {
        Document entry = historyEntry("extended", hash, runs);
        if (!repriced.isEmpty()) {
            entry.append("priorities", repriced.stream()
                    .map(r -> new Document("model", r.model()).append("from", r.from()).append("to", r.to())).toList());
        }
        return entry;
    }

    private static Document historyEntry(String action, String hash, int runs) {
        return new Document("at", new Date()).append("action", action).append("hash", hash).append("plannedRuns", runs);
    }
}
