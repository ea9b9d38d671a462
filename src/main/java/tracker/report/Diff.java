package tracker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Cell by cell, how a second experiment (or version) differs from a first: for every model both
 * have, on every dataset both have, the difference of the two cells' means (second minus first),
 * each cell chosen and shown alike ({@link Selection}), with a test of whether the replicates
 * behind them differ. Pure computation on two matrices.
 */
public final class Diff {
    /**
     * @param delta  second mean minus first; null when either cell has no value
     * @param p      two-sided p-value of the test between the two cells' replicates; null when not
     *               testable (fewer than two replicates on a side)
     * @param better whether the second is better (by the shown metric's direction); null when equal or unknown
     */
    public record Cell(String model, String dataset, Double first, Double second, Double delta, int n1, int n2, Double p,
                       Boolean better) {
        public boolean significant(double alpha) {
            return p != null && p < alpha;
        }
    }

    /**
     * @param onlyFirst  models the first has and the second does not
     * @param onlySecond the reverse
     */
    public record Result(String first, String second, List<String> models, List<String> datasets, List<Cell> cells,
                         List<String> onlyFirst, List<String> onlySecond, boolean higherIsBetter, double alpha) {
        public Cell cell(String model, String dataset) {
            return cells.stream().filter(c -> c.model().equals(model) && c.dataset().equals(dataset)).findFirst().orElse(null);
        }
    }

    private Diff() {
    }

    /**
     * @param test the two-sided p-value of two samples of replicates, or null when they cannot be tested
     */
    public static Result compute(String first, Matrix.Result a, String second, Matrix.Result b, double alpha,
                                 BiFunction<List<Double>, List<Double>, Double> test) {
        List<String> models = a.models().stream().filter(b.models()::contains).toList();
        List<String> datasets = a.datasets().stream().filter(b.datasets()::contains).toList();
        List<Cell> cells = new ArrayList<>();
        for (String m : models) {
            for (String d : datasets) {
                Matrix.Cell x = a.cell(m, d);
                Matrix.Cell y = b.cell(m, d);
                if (x == null && y == null) {
                    continue; // the model runs on it in neither
                }
                Double mx = x == null ? null : x.mean();
                Double my = y == null ? null : y.mean();
                Double delta = mx == null || my == null ? null : my - mx;
                Double p = mx == null || my == null ? null : test.apply(x.values(), y.values());
                Boolean better = delta == null || delta == 0 ? null : (delta > 0) == a.higherIsBetter();
                cells.add(new Cell(m, d, mx, my, delta, x == null ? 0 : x.n(), y == null ? 0 : y.n(), p, better));
            }
        }
        List<String> onlyFirst = a.models().stream().filter(m -> !b.models().contains(m)).toList();
        List<String> onlySecond = b.models().stream().filter(m -> !a.models().contains(m)).toList();
        return new Result(first, second, models, datasets, cells, onlyFirst, onlySecond, a.higherIsBetter(), alpha);
    }
}
