package tracker.report.stats;

/**
 * The Nemenyi post-hoc test (Demšar 2006, section 3.2.2): two of k models compared on N datasets
 * differ significantly when their average ranks differ by at least the critical difference
 * <pre>
 *   CD = q_alpha * sqrt(k(k+1) / (6N))
 * </pre>
 * where q_alpha is the studentized range statistic with infinite degrees of freedom divided by
 * sqrt(2) (Demšar's Table 5(a): 2.569 for k = 4 at alpha 0.05), computed here by
 * {@link StudentizedRange}, not read from a table, so any k works.
 *
 * @param qAlpha              q_alpha, the studentized range quantile over sqrt(2)
 * @param criticalDifference  CD, in units of average rank
 */
public record Nemenyi(double alpha, int models, int datasets, double qAlpha, double criticalDifference) {
    /** The conventional significance levels: Demšar tabulates q_alpha for these two. */
    public static final double ALPHA_05 = 0.05;
    public static final double ALPHA_10 = 0.10;

    /** The critical difference for k models on N datasets at level alpha. */
    public static Nemenyi of(int models, int datasets, double alpha) {
        Checks.alpha(alpha);
        if (models < 2) {
            throw new IllegalArgumentException("a comparison needs at least two models, got " + models);
        }
        if (datasets < 1) {
            throw new IllegalArgumentException("a comparison across datasets needs at least one dataset, got " + datasets);
        }
        double q = qAlpha(models, alpha);
        return new Nemenyi(alpha, models, datasets, q, q * Math.sqrt(models * (models + 1.0) / (6.0 * datasets)));
    }

    public static Nemenyi of(AverageRanks ranks, double alpha) {
        return of(ranks.models(), ranks.datasets(), alpha);
    }

    /** q_alpha for k models: the (1 - alpha) quantile of the studentized range (df = inf) over sqrt(2). */
    public static double qAlpha(int models, double alpha) {
        return StudentizedRange.quantile(1 - alpha, models) / Math.sqrt(2);
    }

    /** Whether two average ranks differ significantly at this level. */
    public boolean differ(double rankA, double rankB) {
        return Math.abs(rankA - rankB) >= criticalDifference;
    }
}
