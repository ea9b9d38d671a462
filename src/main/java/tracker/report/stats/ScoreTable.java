package tracker.report.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The scores that a comparison across datasets may use: one per model on each dataset that every
 * compared model has a score for. Ranks averaged over different sets of datasets are not
 * comparable, so a dataset where any model lacks a score (not run, failed, NaN) is left out, and
 * the table says which and why, for the report to state which datasets count.
 *
 * @param models   the compared models, in the caller's order (the columns)
 * @param datasets the datasets kept (the rows), in the caller's order
 * @param scores   {@code scores[dataset][model]}
 * @param dropped  each left-out dataset with the models that have no score on it, in the caller's order
 */
public record ScoreTable(List<String> models, List<String> datasets, double[][] scores, Map<String, List<String>> dropped) {

    public ScoreTable {
        models = List.copyOf(models);
        datasets = List.copyOf(datasets);
        scores = Arrays.stream(scores).map(double[]::clone).toArray(double[][]::new);
        dropped = Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
    }

    /**
     * @param score the score of (model, dataset), or null or NaN when there is none
     */
    public static ScoreTable ofCommonDatasets(List<String> models, List<String> datasets, BiFunction<String, String, Double> score) {
        List<String> kept = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        Map<String, List<String>> dropped = new LinkedHashMap<>();
        for (String dataset : datasets) {
            double[] row = new double[models.size()];
            List<String> missing = new ArrayList<>();
            for (int m = 0; m < models.size(); m++) {
                Double value = score.apply(models.get(m), dataset);
                if (value == null || value.isNaN()) {
                    missing.add(models.get(m));
                } else {
                    row[m] = value;
                }
            }
            if (missing.isEmpty()) {
                kept.add(dataset);
                rows.add(row);
            } else {
                dropped.put(dataset, List.copyOf(missing));
            }
        }
        return new ScoreTable(models, kept, rows.toArray(double[][]::new), dropped);
    }

    /** A copy: the record's arrays stay as built. */
    @Override
    public double[][] scores() {
        return Arrays.stream(scores).map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * Whether the kept datasets allow a comparison: at least two models and two datasets (one
     * dataset gives ranks but no test: the Iman-Davenport statistic has no residual degrees of
     * freedom and the Wilcoxon test no pairs to speak of).
     */
    public boolean comparable() {
        return models.size() >= 2 && datasets.size() >= 2;
    }
}
