package tracker.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import tracker.spec.Definition;
import tracker.spec.PlanSize;

/**
 * The runs a definition asks for, in claim order: higher priority first, then every cell's trial
 * 0 before any cell's trial 1 (and replicate 0 before replicate 1), so a report is balanced early.
 * The same definition always gives the same plan. Under adaptive search (tpe) a planned run has no
 * params: its trial's setting is chosen from the cell's history when it is first claimed.
 */
public record Plan(Definition definition, List<PlannedRun> runs, Map<String, Integer> trialsPerModel) {

    /** The plan of a definition that never grew a grid: a new experiment, a new version, a dry run. */
    public static Plan of(Definition d) {
        return of(d, GridStages.NONE);
    }

    /** The plan of a stored experiment: the grids that grew through extensions in the order they grew ({@link GridStages}). */
    public static Plan of(Definition d, GridStages stages) {
        Map<String, List<SortedMap<String, Object>>> settings = new LinkedHashMap<>();
        Map<String, Integer> trials = new LinkedHashMap<>();
        for (Definition.Model m : d.models().values()) {
            int count = trialsOf(d, m);
            List<SortedMap<String, Object>> grown = stages.settings(m, d.search(), count);
            // Adaptive trials have no setting yet: each is chosen when first claimed (store/AdaptiveTrials).
            List<SortedMap<String, Object>> s = d.search().adaptive() ? java.util.Collections.nCopies(count, null)
                    : grown != null ? grown : SettingsSampler.settings(m, d.search(), count);
            settings.put(m.name(), s);
            trials.put(m.name(), s.size());
        }
        long[] seeds = new long[d.search().replicates()];
        for (int r = 0; r < seeds.length; r++) {
            seeds[r] = seed(d.search().seed(), r);
        }
        List<PlannedRun> runs = new ArrayList<>();
        for (Map.Entry<Definition.Model, String> cell : d.cells()) {
            Definition.Model m = cell.getKey();
            List<SortedMap<String, Object>> s = settings.get(m.name());
            for (int t = 0; t < s.size(); t++) {
                for (int r = 0; r < seeds.length; r++) {
                    runs.add(new PlannedRun(m.name(), cell.getValue(), t, r, seeds[r], s.get(t), d.priorityOf(m)));
                }
            }
        }
        runs.sort(Comparator.comparingInt((PlannedRun p) -> -p.priority())
                .thenComparingInt(PlannedRun::trial)
                .thenComparingInt(PlannedRun::replicate)); // stable: cells keep model, dataset order
        return new Plan(d, List.copyOf(runs), trials);
    }

    /** Settings per cell for a model (see PlanSize); the parser has refused a plan whose count would not fit. */
    static int trialsOf(Definition d, Definition.Model m) {
        return Math.toIntExact(PlanSize.settings(m, d.search()));
    }

    /** The seed of replicate r: the same for every model, dataset and setting; fits a 32-bit signed int. */
    public static long seed(long experimentSeed, int replicate) {
        return SplitMix64.mix(experimentSeed, 0x5eedL, replicate) & 0x7fffffffL;
    }

    public int cells() {
        return definition.cells().size();
    }
}
