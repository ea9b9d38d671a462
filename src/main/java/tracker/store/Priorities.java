package tracker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bson.Document;

import com.mongodb.client.model.Filters;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.util.Suggestions;

/**
 * {@code tracker priority}: changes the claim order of a live experiment - the priority of cells,
 * or one pending run moved ahead (see {@link Cells} for how a boost works). Each change is
 * recorded in the experiment's history first and then made, with writes that are idempotent or
 * compare-and-sets: a command killed after any write and run again finishes the change (its
 * history may then hold the change twice, never miss it).
 */
public final class Priorities {
    /** Rounds of reading a cell again when its {@code resume} changed under a boost. */
    private static final int MAX_ROUNDS = 50;

    private final Database db;
    private final Cells cells;
    private final Experiments experiments;

    public Priorities(Database db) {
        this.db = db;
        this.cells = new Cells(db);
        this.experiments = new Experiments(db);
    }

    /** A cell ({@code model/dataset}) whose priority went from one value to another. */
    public record Change(String cell, int from, int to) {
    }

    /** What a change of cells' priority did: the cells changed, and how many matched but had that priority already. */
    public record CellsChanged(List<Change> changed, int unchanged) {
    }

    /** What moving a run ahead did: its priority before (its cell's, or an earlier boost's) and now; changed false when it was so already. */
    public record Boosted(String run, String cell, int from, int to, boolean changed) {
    }

    /**
     * Sets the priority of the cells of {@code models} x {@code datasets} (empty: all) to {@code priority}.
     *
     * @throws TrackerException NOT_FOUND for a model or dataset the experiment lacks, or a selection without cells
     */
    public CellsChanged cells(ExperimentRecord exp, Set<String> models, Set<String> datasets, int priority) {
        known("model", models, exp.models(), exp);
        known("dataset", datasets, exp.datasets(), exp);
        List<Cells.Cell> matched = new ArrayList<>();
        for (Cells.Cell c : cells.inDefinitionOrder(exp)) {
            if ((models.isEmpty() || models.contains(c.model())) && (datasets.isEmpty() || datasets.contains(c.dataset()))) {
                matched.add(c);
            }
        }
        if (matched.isEmpty()) {
            throw new TrackerException(ExitCode.NOT_FOUND, "in " + exp.id() + ", model " + String.join(" or ", models)
                    + " does not run on dataset " + String.join(" or ", datasets), "'tracker report -e " + exp.id()
                    + " --view progress' lists the cells");
        }
        List<Change> changed = new ArrayList<>();
        for (Cells.Cell c : matched) {
            if (c.priority() != priority) {
                changed.add(new Change(c.model() + "/" + c.dataset(), c.priority(), priority));
            }
        }
        if (!changed.isEmpty()) {
            // 1. the record first: killed after it, the cells are changed by the command run again
            experiments.recordHistory(exp.id(), new Document("at", db.clock().now()).append("action", "priority")
                    .append("cells", changed.stream().map(Change::cell).toList())
                    .append("from", changed.stream().map(Change::from).toList())
                    .append("to", priority));
            // 2. each cell, idempotently; claims read the new order from the next one on
            for (Change ch : changed) {
                cells.setPriority(Runs.cellId(exp.id(), ch.cell()), priority);
            }
        }
        return new CellsChanged(changed, matched.size() - changed.size());
    }

    /**
     * Moves one pending run ahead: it is claimed before the runs of every cell whose priority is
     * below {@code priority}, and first of its own cell. Lowering a single run below its cell is
     * refused: its position is handed out in queue order, and holding one back would need a
     * record per run that grows with the queue.
     */
    public Boosted run(ExperimentRecord exp, String runId, int priority) {
        if (!runId.startsWith(exp.id() + "/")) {
            throw new TrackerException(ExitCode.NOT_FOUND, "run '" + runId + "' is not a run of " + exp.id(),
                    "run ids look like " + exp.id() + "/MODEL/DATASET/N (as 'tracker next' prints them)");
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Document run = db.collections().runs().find(Filters.eq("_id", runId)).first();
            if (run == null) {
                throw new TrackerException(ExitCode.NOT_FOUND, "no run '" + runId + "'",
                        "run ids look like " + exp.id() + "/MODEL/DATASET/N; 'tracker report -e " + exp.name() + " --view runs' lists them");
            }
            String status = run.getString("status");
            if (!"pending".equals(status)) {
                throw new TrackerException(ExitCode.CONFLICT, "run " + runId + " is " + status + ": only a pending run can be moved ahead",
                        "finished runs go back to the queue with 'tracker requeue -e " + exp.name() + " --run " + runId + "'");
            }
            String cellId = run.getString("cell");
            int pos = run.getInteger("pos");
            Cells.Cell cell = cells.get(cellId);
            if (cell == null) {
                throw new TrackerException(ExitCode.NOT_FOUND, "the queue of run " + runId + " is missing",
                        "'tracker status -e " + exp.name() + " --repair' rebuilds it");
            }
            String shown = cell.model() + "/" + cell.dataset();
            if (priority < cell.priority()) {
                throw new TrackerException(ExitCode.CONFLICT, "cannot lower run " + runId + " to " + priority + ": its cell " + shown
                        + " has priority " + cell.priority() + ", and a single run can only be moved ahead",
                        "lower its cell: tracker priority -e " + exp.id() + " --model " + cell.model() + " --dataset " + cell.dataset()
                                + " " + priority);
            }
            Integer boosted = cell.boosts().get(pos);
            int from = boosted == null ? cell.priority() : Math.max(cell.priority(), boosted);
            if (boosted != null && boosted == priority && !cell.resume().isEmpty() && cell.resume().get(0) == pos) {
                return new Boosted(runId, shown, from, priority, false); // so already (a command run again after a cut)
            }
            if (boosted == null && cell.boosts().size() >= Cells.MAX_BOOSTS) {
                throw new TrackerException(ExitCode.CONFLICT, "cell " + shown + " holds " + Cells.MAX_BOOSTS
                        + " runs moved ahead already (the most it keeps)",
                        "raise the whole cell instead: tracker priority -e " + exp.id() + " --model " + cell.model() + " --dataset "
                                + cell.dataset() + " " + priority);
            }
            if (round == 0) {
                // 1. the record first: killed after it, the command run again moves the run
                experiments.recordHistory(exp.id(), new Document("at", db.clock().now()).append("action", "priority")
                        .append("run", runId).append("from", from).append("to", priority));
            }
            // 2. one compare-and-set on the cell's resume list: the run at its front, its boost recorded
            if (cells.boost(cell, pos, priority)) {
                return new Boosted(runId, shown, from, priority, true);
            }
            // resume changed meanwhile (a claim took from it): read the run and the cell again
        }
        throw new TrackerException(ExitCode.CONFLICT, "the queue of run " + runId + " keeps changing under us",
                "workers are claiming from it right now; try again");
    }

    private static void known(String what, Set<String> given, List<String> names, ExperimentRecord exp) {
        for (String g : given) {
            if (!names.contains(g)) {
                String near = Suggestions.closest(g, names);
                throw new TrackerException(ExitCode.NOT_FOUND, "no " + what + " '" + g + "' in " + exp.id()
                        + (near == null ? "" : " (did you mean '" + near + "'?)"), "its " + what + "s: " + String.join(", ", names));
            }
        }
    }
}
