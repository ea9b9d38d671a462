package tracker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Learning curves of the configurations a report chooses: which runs stand behind a model's curve
 * on a dataset ({@link #choose}: the configuration the matrix chooses, by the same rule), and per
 * epoch the mean and spread of one metric over those runs ({@link #points}). Pure computation, so
 * it is tested with known answers.
 */
public final class Curves {
    private Curves() {
    }

    /** A finished run of a cell, by its place in the cell's queue, with the objective at its chosen epoch (null: none). */
    public record Finished(int pos, int trial, int replicate, String status, Double objective) {
    }

    /**
     * The runs behind one model's curve: the configuration {@code trial} the matrix chooses for the
     * cell and the queue positions of its replicates that count there (completed, with a finite
     * objective); no trial and no positions when no configuration has a value yet.
     */
    public record Choice(String model, Integer trial, List<Integer> positions) {
        public Choice {
            positions = List.copyOf(positions);
        }
    }

    /**
     * The configuration with the best mean objective over its completed replicates, as
     * {@link Matrix} chooses it ({@code --agg best}), and the replicates that make that mean.
     */
    public static Choice choose(String model, String dataset, List<Finished> finished, boolean maximize) {
        List<Matrix.Outcome> outcomes = finished.stream().map(f -> new Matrix.Outcome(f.trial(), f.replicate(), f.status(), f.objective()))
                .toList();
        Integer trial = Matrix.chosenTrial(new Matrix.CellInput(model, dataset, finished.size(), outcomes), maximize, Matrix.Agg.best);
        if (trial == null) {
            return new Choice(model, null, List.of());
        }
        List<Integer> positions = new ArrayList<>();
        for (Finished f : finished) {
            if (f.trial() == trial && counts(f)) {
                positions.add(f.pos());
            }
        }
        return new Choice(model, trial, positions);
    }

    /** Whether a run's objective makes part of its configuration's mean: the test {@link Matrix#cell} applies. */
    private static boolean counts(Finished f) {
        return "completed".equals(f.status()) && f.objective() != null && !f.objective().isNaN();
    }

    /**
     * A model's curve on a dataset: its chosen configuration (null: none has a value yet), the runs
     * of its replicates (ids), and the points computed from them.
     */
    public record Curve(String model, Integer trial, List<String> runs, List<Point> points) {
        public Curve {
            runs = List.copyOf(runs);
            points = List.copyOf(points);
        }

        public int replicates() {
            return runs.size();
        }
    }

    /**
     * One epoch of a curve, over the {@code n} replicates with a finite value there: their mean,
     * sample standard deviation (n - 1; 0 when n is 1), min and max.
     */
    public record Point(long epoch, double mean, double std, double min, double max, int n) {
    }

    /**
     * Per epoch, over the replicates (each a map epoch to value), in epoch order. An epoch counts
     * the replicates that logged a finite value at it: where some stopped earlier (or logged NaN),
     * the point is the mean and spread of the others, and its {@code n} is smaller. An epoch where
     * no replicate has a finite value is left out, so the curve has no point there.
     */
    public static List<Point> points(List<? extends Map<Long, Double>> replicates) {
        SortedMap<Long, List<Double>> byEpoch = new TreeMap<>();
        for (Map<Long, Double> values : replicates) {
            values.forEach((epoch, v) -> {
                if (v != null && Double.isFinite(v)) {
                    byEpoch.computeIfAbsent(epoch, e -> new ArrayList<>()).add(v);
                }
            });
        }
        List<Point> points = new ArrayList<>();
        byEpoch.forEach((epoch, values) -> points.add(new Point(epoch, Matrix.mean(values), Matrix.std(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                values.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), values.size())));
        return points;
    }

    /** The epochs whose points stand on fewer than {@code replicates} values (some stopped earlier, or logged NaN there). */
    public static List<Long> fewer(List<Point> points, int replicates) {
        return points.stream().filter(p -> p.n() < replicates).map(Point::epoch).toList();
    }
}
