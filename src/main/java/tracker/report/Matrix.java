package tracker.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tracker.RunStatus;

/**
 * The model x dataset picture: for every cell the objective of its best configuration (or the
 * mean / median / last of its configurations, by {@link Agg}) as mean ± std over replicates; the
 * best model per dataset; each model's average rank and wins. Pure computation on run outcomes,
 * so it is tested with known answers.
 */
public final class Matrix {
    public enum Agg { best, mean, median, last }

    /** How one finished run came out: its objective value (null when it has none). */
    public record Outcome(int trial, int replicate, String status, Double value) {
    }

    /** A cell's runs: planned ({@code total}) and finished ({@code outcomes}). */
    public record CellInput(String model, String dataset, long total, List<Outcome> outcomes) {
    }

    /**
     * @param mean   the cell's value, null when it has none
     * @param trial  the configuration it comes from (best and last), null otherwise
     * @param n      replicates (best, last) or configurations (mean, median) behind it
     */
    public record Cell(String model, String dataset, Double mean, Double std, int n, Integer trial, long done, long total,
                       long failed, boolean best) {
        public boolean complete() {
            return done >= total;
        }

        public boolean onlyFailures() {
            return mean == null && failed > 0 && failed == done;
        }
    }

    public record Rank(String model, Double averageRank, int wins, int datasets) {
    }

    public record Result(List<String> models, List<String> datasets, Map<String, Cell> cells, List<Rank> ranks,
                         boolean maximize, Agg agg) {
        public Cell cell(String model, String dataset) {
            return cells.get(model + "/" + dataset);
        }
    }

    private Matrix() {
    }

    public static Result compute(List<String> models, List<String> datasets, List<CellInput> inputs, boolean maximize, Agg agg) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (CellInput in : inputs) {
            cells.put(in.model() + "/" + in.dataset(), cell(in, maximize, agg));
        }
        // Best model per dataset (ties are all best), ranks with ties averaged.
        Map<String, List<Double>> ranks = new LinkedHashMap<>();
        Map<String, Integer> wins = new LinkedHashMap<>();
        for (String m : models) {
            ranks.put(m, new ArrayList<>());
            wins.put(m, 0);
        }
        for (String d : datasets) {
            List<Cell> valued = new ArrayList<>();
            for (String m : models) {
                Cell c = cells.get(m + "/" + d);
                if (c != null && c.mean() != null) {
                    valued.add(c);
                }
            }
            if (valued.isEmpty()) {
                continue;
            }
            Comparator<Cell> better = Comparator.comparingDouble(Cell::mean);
            if (maximize) {
                better = better.reversed();
            }
            valued.sort(better);
            double top = valued.get(0).mean();
            int i = 0;
            while (i < valued.size()) {
                int j = i;
                while (j + 1 < valued.size() && valued.get(j + 1).mean().doubleValue() == valued.get(i).mean().doubleValue()) {
                    j++;
                }
                double rank = (i + j) / 2.0 + 1;
                for (int k = i; k <= j; k++) {
                    Cell c = valued.get(k);
                    ranks.get(c.model()).add(rank);
                    if (c.mean() == top) {
                        wins.merge(c.model(), 1, Integer::sum);
                        cells.put(c.model() + "/" + d, new Cell(c.model(), c.dataset(), c.mean(), c.std(), c.n(), c.trial(),
                                c.done(), c.total(), c.failed(), true));
                    }
                }
                i = j + 1;
            }
        }
        List<Rank> out = new ArrayList<>();
        for (String m : models) {
            List<Double> r = ranks.get(m);
            out.add(new Rank(m, r.isEmpty() ? null : r.stream().mapToDouble(Double::doubleValue).average().orElse(0), wins.get(m), r.size()));
        }
        return new Result(models, datasets, cells, out, maximize, agg);
    }

    static Cell cell(CellInput in, boolean maximize, Agg agg) {
        long done = 0;
        long failed = 0;
        Map<Integer, List<Double>> byTrial = new TreeMap<>();
        for (Outcome o : in.outcomes()) {
            done++;
            if (RunStatus.isFailure(o.status())) {
                failed++;
            }
            if ("completed".equals(o.status()) && o.value() != null && !o.value().isNaN()) {
                byTrial.computeIfAbsent(o.trial(), t -> new ArrayList<>()).add(o.value());
            }
        }
        if (byTrial.isEmpty()) {
            return new Cell(in.model(), in.dataset(), null, null, 0, null, done, in.total(), failed, false);
        }
        Integer chosen = null;
        double chosenMean = 0;
        List<Double> means = new ArrayList<>();
        for (Map.Entry<Integer, List<Double>> e : byTrial.entrySet()) {
            double m = mean(e.getValue());
            means.add(m);
            boolean better = chosen == null || (agg == Agg.last ? e.getKey() > chosen : maximize ? m > chosenMean : m < chosenMean);
            if (better) {
                chosen = e.getKey();
                chosenMean = m;
            }
        }
        return switch (agg) {
            case mean -> new Cell(in.model(), in.dataset(), mean(means), std(means), means.size(), null, done, in.total(), failed, false);
            case median -> new Cell(in.model(), in.dataset(), median(means), std(means), means.size(), null, done, in.total(), failed, false);
            default -> {
                List<Double> values = byTrial.get(chosen);
                yield new Cell(in.model(), in.dataset(), chosenMean, std(values), values.size(), chosen, done, in.total(), failed, false);
            }
        };
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
