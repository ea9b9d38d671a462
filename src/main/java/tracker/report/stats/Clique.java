package tracker.report.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A group of models whose average ranks all lie within less than the critical difference of each
 * other: the thick lines of Demšar's critical-difference diagram (2006, Figure 1), which join the
 * models that the Nemenyi test cannot tell apart.
 *
 * @param models the models' indices, best (lowest average rank) first
 * @param lowest the lowest average rank in the group, where its line starts
 * @param highest the highest, where it ends
 */
public record Clique(List<Integer> models, double lowest, double highest) {
    public Clique {
        models = List.copyOf(models);
    }

    /**
     * The maximal cliques: each is a run of models, ordered by average rank, whose first and last
     * differ by less than {@code criticalDifference}; none is contained in another, and a model
     * that differs from all others forms none (a line needs two ends). Ordered by their lowest rank.
     */
    public static List<Clique> of(double[] averageRanks, double criticalDifference) {
        Integer[] order = new Integer[averageRanks.length];
        Arrays.setAll(order, i -> i);
        // stable: models with equal ranks keep their input order, so the output is deterministic
        Arrays.sort(order, Comparator.comparingDouble(i -> averageRanks[i]));
        List<Clique> cliques = new ArrayList<>();
        int previousEnd = 0;
        for (int start = 0; start < order.length; start++) {
            int end = start;
            while (end + 1 < order.length && averageRanks[order[end + 1]] - averageRanks[order[start]] < criticalDifference) {
                end++;
            }
            // a run ending where an earlier one ended is inside it
            if (end > start && end > previousEnd) {
                cliques.add(new Clique(Arrays.asList(order).subList(start, end + 1),
                        averageRanks[order[start]], averageRanks[order[end]]));
                previousEnd = end;
            }
        }
        return cliques;
    }
}
