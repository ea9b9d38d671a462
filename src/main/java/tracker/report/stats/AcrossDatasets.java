package tracker.report.stats;

import java.util.List;

/**
 * Everything Demšar (2006) recommends for comparing k models over N datasets, computed at once:
 * the average ranks, the Friedman test with the Iman-Davenport correction, the Nemenyi critical
 * difference with its cliques, and Holm-corrected Wilcoxon signed-rank comparisons. The report's
 * one entry point; each part is also usable alone.
 *
 * @param models      the models' names, in the order of the score columns
 * @param comparisons the post-hoc Wilcoxon-Holm comparisons of {@code family}
 */
public record AcrossDatasets(List<String> models, AverageRanks ranks, Friedman friedman, Nemenyi nemenyi,
        List<Clique> cliques, Comparison.Family family, List<Comparison> comparisons) {

    public AcrossDatasets {
        models = List.copyOf(models);
        cliques = List.copyOf(cliques);
        comparisons = List.copyOf(comparisons);
    }

    /**
     * @param models   one name per column of {@code scores}
     * @param scores   {@code scores[dataset][model]} on the datasets every model has a score for
     * @param maximize true when higher scores are better
     * @param alpha    the level of the Nemenyi and Holm tests (0.05 is usual)
     */
    public static AcrossDatasets of(List<String> models, double[][] scores, boolean maximize, double alpha,
            Comparison.Family family) {
        AverageRanks ranks = AverageRanks.of(scores, maximize);
        if (models.size() != ranks.models()) {
            throw new IllegalArgumentException(models.size() + " model names for " + ranks.models() + " score columns");
        }
        Nemenyi nemenyi = Nemenyi.of(ranks, alpha);
        return new AcrossDatasets(models, ranks, Friedman.test(ranks), nemenyi,
                Clique.of(ranks.average(), nemenyi.criticalDifference()), family,
                Comparison.wilcoxonHolm(scores, ranks, family, alpha));
    }

    /**
     * The same on a {@link ScoreTable}'s common datasets.
     *
     * @throws IllegalArgumentException when the table is not {@linkplain ScoreTable#comparable() comparable}
     */
    public static AcrossDatasets of(ScoreTable table, boolean maximize, double alpha, Comparison.Family family) {
        if (!table.comparable()) {
            throw new IllegalArgumentException("a comparison across datasets needs at least 2 models on at least 2 common datasets, got "
                    + table.models().size() + " models on " + table.datasets().size() + " (left out, with the models missing: "
                    + table.dropped() + ")");
        }
        return of(table.models(), table.scores(), maximize, alpha, family);
    }

    /** The critical-difference diagram of these ranks at this level. */
    public CdDiagram diagram() {
        return new CdDiagram(models, ranks.average(), nemenyi.criticalDifference(), nemenyi.alpha(), cliques, ranks.datasets());
    }
}
