package tracker.spec;

import java.util.Collection;
import java.util.Locale;

/**
 * How large a definition's plan is, from its numbers alone: planning a billion runs to count them
 * would fill the memory first, so the parser refuses a plan above search.run_limit from this
 * arithmetic, and the planner draws exactly as many settings as it says.
 */
public final class PlanSize {
    private PlanSize() {
    }

    /** Settings per cell of a model: trials, or for grid the whole grid when trials is not given (or is larger). */
    public static long settings(Definition.Model model, Definition.Search search) {
        if (search.method() == Definition.Method.grid) {
            long grid = GridValues.gridSize(model);
            return search.trials() == null ? grid : Math.min(grid, search.trials());
        }
        return search.trials();
    }

    /** Runs of the whole plan: settings x datasets x replicates, summed over models; {@link Long#MAX_VALUE} when it overflows. */
    public static long runs(Collection<Definition.Model> models, Definition.Search search) {
        long total = 0;
        for (Definition.Model m : models) {
            long cells = GridValues.multiplySaturated(settings(m, search), m.datasets().size());
            long runs = GridValues.multiplySaturated(cells, search.replicates());
            total = total > Long.MAX_VALUE - runs ? Long.MAX_VALUE : total + runs;
        }
        return total;
    }

    /** 1000000 as "1,000,000", the same in every locale. */
    static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
