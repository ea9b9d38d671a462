package tracker.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tracker.RunStatus;
import tracker.report.stats.AcrossDatasets;
import tracker.report.stats.AverageRanks;
import tracker.report.stats.Comparison;
import tracker.report.stats.ReplicateTies;
import tracker.report.stats.ScoreTable;

/**
 * The model x dataset picture: for every cell the configuration chosen by the objective (the best
 * mean over its replicates, or the last configuration, by {@link Agg}) and what it shows - the
 * objective itself or another metric at the same epochs ({@link Selection}) - as mean ± std over
 * its replicates; or the mean / median over all configurations. Then the best model per dataset,
 * and each model's average rank over the datasets every compared model has a result on, with its
 * wins. Pure computation on run outcomes, so it is tested with known answers.
 */
public final class Matrix {
    public enum Agg { best, mean, median, last }

    /** How one finished run came out: its objective value at its chosen epoch (null when it has none). */
    public record Outcome(int trial, int replicate, String status, Double value) {
    }

    /** A cell's runs: planned ({@code total}) and finished ({@code outcomes}). */
    public record CellInput(String model, String dataset, long total, List<Outcome> outcomes) {
        String key() {
            return model + "/" + dataset;
        }
    }

    /**
     * @param mean   the cell's value, null when it has none
     * @param values what the mean is made of: the shown value of each replicate (best, last) or each
     *               configuration's mean (mean, median)
     * @param trial  the configuration it comes from (best and last), null otherwise
     * @param n      replicates (best, last) or configurations (mean, median) behind it
     */
    public record Cell(String model, String dataset, Double mean, Double std, int n, Integer trial, long done, long total,
                       long failed, boolean best, List<Double> values, ReplicateTies.Verdict verdict) {
        public Cell(String model, String dataset, Double mean, Double std, int n, Integer trial, long done, long total, long failed,
                    boolean best, List<Double> values) {
            this(model, dataset, mean, std, n, trial, done, total, failed, best, values, null);
        }

        public boolean complete() {
            return done >= total;
        }

        public boolean onlyFailures() {
            return mean == null && failed > 0 && failed == done;
        }

        Cell asBest() {
            return new Cell(model, dataset, mean, std, n, trial, done, total, failed, true, values, verdict);
        }

        Cell with(ReplicateTies.Verdict v) {
            return new Cell(model, dataset, mean, std, n, trial, done, total, failed, best, values, v);
        }

        /** Not the best, but its replicates are not significantly worse than the best's. */
        public boolean tie() {
            return !best && verdict == ReplicateTies.Verdict.NOT_WORSE;
        }
    }

    /** @param datasets how many datasets the average rank is taken over (those every compared model has a result on) */
    public record Rank(String model, Double averageRank, int wins, int datasets) {
    }

    /**
     * @param rankedDatasets the datasets the ranks are taken over: those where every compared model
     *                       (every model with a result somewhere) has one
     * @param higherIsBetter which way the shown values are better (ranks and best marks follow it)
     * @param significance   the tests across the ranked datasets (Friedman, Nemenyi, Wilcoxon-Holm);
     *                       null with fewer than 2 compared models or 2 ranked datasets
     */
    public record Result(List<String> models, List<String> datasets, Map<String, Cell> cells, List<Rank> ranks,
                         boolean higherIsBetter, Agg agg, List<String> rankedDatasets, AcrossDatasets significance) {
        public Cell cell(String model, String dataset) {
            return cells.get(model + "/" + dataset);
        }

        /** The models with a result on some dataset: those the ranks compare. */
        public List<String> compared() {
            return ranks.stream().filter(r -> r.averageRank() != null).map(Rank::model).toList();
        }
    }

    private Matrix() {
    }

    /** The matrix of the objective itself: what is shown is what chose. */
    public static Result compute(List<String> models, List<String> datasets, List<CellInput> inputs, boolean maximize, Agg agg) {
        return compute(models, datasets, inputs, maximize, agg, null, maximize, ReplicateTies.ALPHA, Comparison.Family.AGAINST_BEST);
    }

    /**
     * The configuration each cell's selection picks: the trial with the best mean objective over its
     * completed replicates ({@link Agg#best}, and for {@link Agg#mean} / {@link Agg#median} the one a
     * reader would look at), or the last trial with a result ({@link Agg#last}); null when none has one.
     */
    public static Integer chosenTrial(CellInput in, boolean maximize, Agg agg) {
        Integer chosen = null;
        double chosenMean = 0;
        for (Map.Entry<Integer, List<Double>> e : byTrial(in).entrySet()) {
            double m = mean(e.getValue());
            boolean better = chosen == null || (agg == Agg.last ? e.getKey() > chosen : maximize ? m > chosenMean : m < chosenMean);
            if (better) {
                chosen = e.getKey();
                chosenMean = m;
            }
        }
        return chosen;
    }

    /**
     * @param maximize       the objective's direction: it chooses
     * @param shown          per cell ({@code model/dataset}) the shown values of its chosen trial's
     *                       replicates, when something other than the objective is shown; null to show
     *                       the objective
     * @param higherIsBetter the shown values' direction
     * @param alpha          the level of every test (ties within a dataset, Nemenyi, Holm)
     * @param family         the post-hoc Wilcoxon comparisons: against the best-ranked model, or all pairs
     */
    public static Result compute(List<String> models, List<String> datasets, List<CellInput> inputs, boolean maximize, Agg agg,
                                 Map<String, List<Double>> shown, boolean higherIsBetter, double alpha, Comparison.Family family) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (CellInput in : inputs) {
            cells.put(in.key(), cell(in, maximize, agg, shown == null ? null : shown.getOrDefault(in.key(), List.of())));
        }
        Map<String, Integer> wins = new LinkedHashMap<>();
        models.forEach(m -> wins.put(m, 0));
        for (String d : datasets) {
            Double top = null;
            for (String m : models) {
                Cell c = cells.get(m + "/" + d);
                if (c != null && c.mean() != null && (top == null || (higherIsBetter ? c.mean() > top : c.mean() < top))) {
                    top = c.mean();
                }
            }
            for (String m : models) {
                Cell c = cells.get(m + "/" + d);
                if (top != null && c != null && c.mean() != null && c.mean().doubleValue() == top) {
                    cells.put(m + "/" + d, c.asBest());
                    wins.merge(m, 1, Integer::sum);
                }
            }
        }
        if (agg == Agg.best || agg == Agg.last) {
            markTies(models, datasets, cells, higherIsBetter, alpha);
        }
        // Ranks only where every compared model has a result: averaged over different sets of datasets,
        // a model that skips the hard ones would look better than it is.
        List<String> compared = models.stream()
                .filter(m -> datasets.stream().anyMatch(d -> cells.get(m + "/" + d) != null && cells.get(m + "/" + d).mean() != null))
                .toList();
        ScoreTable table = ScoreTable.ofCommonDatasets(compared, datasets, (m, d) -> cells.get(m + "/" + d) == null ? null
                : cells.get(m + "/" + d).mean());
        double[] average = table.datasets().isEmpty() || compared.isEmpty() ? new double[0]
                : compared.size() == 1 ? new double[] {1} // alone, it is first wherever it ran
                : AverageRanks.of(table.scores(), higherIsBetter).average();
        List<Rank> out = new ArrayList<>();
        for (String m : models) {
            int i = compared.indexOf(m);
            boolean ranked = i >= 0 && average.length > 0;
            out.add(new Rank(m, ranked ? average[i] : null, wins.get(m), ranked ? table.datasets().size() : 0));
        }
        AcrossDatasets significance = table.comparable() ? AcrossDatasets.of(table, higherIsBetter, alpha, family) : null;
        return new Result(models, datasets, cells, out, higherIsBetter, agg, table.datasets(), significance);
    }

    /**
     * Within each dataset, each model's verdict against the best one's replicates (Welch's t-test):
     * the ties a mean hides. The first best model (in model order) is the one compared against.
     */
    private static void markTies(List<String> models, List<String> datasets, Map<String, Cell> cells, boolean higherIsBetter,
                                 double alpha) {
        for (String d : datasets) {
            List<String> valued = models.stream().filter(m -> cells.get(m + "/" + d) != null && cells.get(m + "/" + d).mean() != null)
                    .toList();
            int best = -1;
            for (int i = 0; i < valued.size() && best < 0; i++) {
                if (cells.get(valued.get(i) + "/" + d).best()) {
                    best = i;
                }
            }
            if (best < 0) {
                continue;
            }
            // a replicate of infinite value cannot be tested: such a model's verdict is "untested"
            List<double[]> replicates = valued.stream().map(m -> cells.get(m + "/" + d).values()).map(v -> v.stream()
                    .allMatch(Double::isFinite) ? v.stream().mapToDouble(Double::doubleValue).toArray() : new double[0]).toList();
            List<ReplicateTies.Verdict> verdicts = ReplicateTies.againstBest(replicates, best, higherIsBetter, alpha);
            for (int i = 0; i < valued.size(); i++) {
                String key = valued.get(i) + "/" + d;
                Cell c = cells.get(key);
                // every model with the best mean is best, whatever the test against the first of them says
                cells.put(key, c.with(c.best() ? ReplicateTies.Verdict.BEST : verdicts.get(i)));
            }
        }
    }

    /** The finite objective values of the completed runs, by trial. */
    private static Map<Integer, List<Double>> byTrial(CellInput in) {
        Map<Integer, List<Double>> byTrial = new TreeMap<>();
        for (Outcome o : in.outcomes()) {
            if ("completed".equals(o.status()) && o.value() != null && !o.value().isNaN()) {
                byTrial.computeIfAbsent(o.trial(), t -> new ArrayList<>()).add(o.value());
            }
        }
        return byTrial;
    }

    static Cell cell(CellInput in, boolean maximize, Agg agg, List<Double> shown) {
        long done = in.outcomes().size();
        long failed = in.outcomes().stream().filter(o -> RunStatus.isFailure(o.status())).count();
        Map<Integer, List<Double>> byTrial = byTrial(in);
        Integer chosen = chosenTrial(in, maximize, agg);
        if (chosen == null) {
            return new Cell(in.model(), in.dataset(), null, null, 0, null, done, in.total(), failed, false, List.of());
        }
        if (agg == Agg.mean || agg == Agg.median) {
            List<Double> means = byTrial.values().stream().map(Matrix::mean).toList();
            return new Cell(in.model(), in.dataset(), agg == Agg.mean ? mean(means) : median(means), std(means), means.size(), null,
                    done, in.total(), failed, false, means);
        }
        List<Double> values = shown == null ? byTrial.get(chosen) : shown.stream().filter(v -> v != null && !v.isNaN()).toList();
        if (values.isEmpty()) {
            return new Cell(in.model(), in.dataset(), null, null, 0, chosen, done, in.total(), failed, false, List.of());
        }
        return new Cell(in.model(), in.dataset(), mean(values), std(values), values.size(), chosen, done, in.total(), failed, false,
                List.copyOf(values));
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }

    /** Sample standard deviation (n - 1); 0 for a single value. */
    static double std(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.size() - 1));
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
