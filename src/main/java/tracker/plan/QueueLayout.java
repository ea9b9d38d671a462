package tracker.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each run stands in its cell's queue. Every (model, dataset) cell hands out its runs in
 * queue order - position 0, 1, 2, … - and a worker claims "the next position of the least advanced
 * cell", which makes claims cheap lookups by unique key instead of sorts over all runs.
 *
 * <p>A new plan numbers each cell's runs in plan order (trial, then replicate). An extension
 * appends: the runs the base plan did not have get the positions after the base plan's, so runs
 * planned before never move. Both are functions of the definitions alone, so a process that
 * finishes an interrupted plan computes the same positions.
 */
public record QueueLayout(List<Queued> runs, Map<String, Integer> cellSizes) {

    /** A run to store, with its cell ("model/dataset") and position. */
    public record Queued(PlannedRun run, String cell, int pos) {
    }

    public static String cell(PlannedRun r) {
        return r.model() + "/" + r.dataset();
    }

    /**
     * @param base the plan an extension starts from, or null for a new experiment
     * @return the runs of {@code plan} that {@code base} lacks, positioned; and every cell's size
     */
    public static QueueLayout of(Plan plan, Plan base) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        Set<String> known = new HashSet<>();
        if (base != null) {
            for (PlannedRun r : base.runs()) {
                known.add(r.key());
                sizes.merge(cell(r), 1, Integer::sum);
            }
        }
        List<Queued> out = new ArrayList<>();
        for (PlannedRun r : plan.runs()) {
            if (known.contains(r.key())) {
                continue;
            }
            String cell = cell(r);
            int pos = sizes.getOrDefault(cell, 0);
            sizes.put(cell, pos + 1);
            out.add(new Queued(r, cell, pos));
        }
        return new QueueLayout(List.copyOf(out), Map.copyOf(sizes));
    }
}
