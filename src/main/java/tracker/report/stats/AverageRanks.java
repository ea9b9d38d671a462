package tracker.report.stats;

import java.util.Arrays;

import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

/**
 * The ranks of k models on each of N datasets and their averages (Demšar 2006, section 3.2.2):
 * on each dataset the best model gets rank 1, the worst rank k, and tied models share the average
 * of the ranks they span (two models tied for first both get 1.5).
 *
 * @param perDataset {@code perDataset[dataset][model]}, the rank of each model on each dataset
 * @param average    {@code average[model]}, the mean of that model's ranks over the datasets
 */
public record AverageRanks(double[][] perDataset, double[] average) {
    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    /**
     * Ranks {@code scores[dataset][model]}. The caller chooses the datasets every model has a score
     * on: a rank over different dataset sets would not be comparable.
     *
     * @param maximize true when a higher score is better (accuracy), false when lower is (loss)
     * @throws IllegalArgumentException when there are no datasets, fewer than two models, rows of
     *                                  different lengths, or a score that is NaN
     */
    public static AverageRanks of(double[][] scores, boolean maximize) {
        int models = Checks.models(scores);
        double[][] ranks = new double[scores.length][];
        double[] sum = new double[models];
        for (int d = 0; d < scores.length; d++) {
            double[] row = scores[d].clone();
            for (double v : row) {
                if (Double.isNaN(v)) {
                    throw new IllegalArgumentException("dataset " + d + " has a NaN score: rank only datasets where every model has a value");
                }
            }
            if (maximize) {
                for (int m = 0; m < models; m++) {
                    row[m] = -row[m]; // the ranking is ascending: the highest score must come first
                }
            }
            ranks[d] = RANKING.apply(row);
            for (int m = 0; m < models; m++) {
                sum[m] += ranks[d][m];
            }
        }
        double[] average = new double[models];
        for (int m = 0; m < models; m++) {
            average[m] = sum[m] / scores.length;
        }
        return new AverageRanks(ranks, average);
    }

    public AverageRanks {
        perDataset = Arrays.stream(perDataset).map(double[]::clone).toArray(double[][]::new);
        average = average.clone();
    }

    /** A copy: the record's arrays stay as computed. */
    @Override
    public double[][] perDataset() {
        return Arrays.stream(perDataset).map(double[]::clone).toArray(double[][]::new);
    }

    /** A copy: the record's arrays stay as computed. */
    @Override
    public double[] average() {
        return average.clone();
    }

    public int models() {
        return average.length;
    }

    public int datasets() {
        return perDataset.length;
    }

    /** The model with the lowest average rank; among equals, the first. */
    public int best() {
        int best = 0;
        for (int m = 1; m < average.length; m++) {
            if (average[m] < average[best]) {
                best = m;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "AverageRanks" + Arrays.toString(average);
    }
}
