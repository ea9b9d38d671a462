package tracker.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The best configurations (trials) of each cell: a configuration's objective is the mean ± std of
 * its completed replicates (NaN and missing values left out). Better means higher when maximizing
 * and lower when minimizing; ties share a rank (1, 1, 3) and keep trial order. Across the whole
 * experiment see {@link OverallLeaderboard}, which ranks within datasets first.
 */
public final class Leaderboard {
    /** How one finished run came out; {@code pos} is its place in its cell's queue (it names the run). */
    public record Outcome(int pos, int trial, int replicate, String status, Double value) {
    }

    public record CellInput(String model, String dataset, List<Outcome> outcomes) {
    }

    /**
     * @param rank within the cell
     * @param n    replicates behind the mean
     * @param std  sample standard deviation, 0 with one replicate
     * @param pos  the queue position of one of its runs (they share their parameters)
     */
    public record Entry(String model, String dataset, int rank, int trial, double mean, double std, int n, int pos) {
    }

    private Leaderboard() {
    }

    /** The top {@code k} configurations of every cell, cells in the order given. */
    public static List<Entry> perCell(List<CellInput> cells, boolean maximize, int k) {
        List<Entry> out = new ArrayList<>();
        for (CellInput c : cells) {
            out.addAll(top(configurations(c), maximize, k));
        }
        return out;
    }

    private static List<Entry> top(List<Entry> entries, boolean maximize, int k) {
        Comparator<Entry> byValue = Comparator.comparingDouble(Entry::mean);
        if (maximize) {
            byValue = byValue.reversed();
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(byValue);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < sorted.size() && i < k; i++) {
            Entry e = sorted.get(i);
            int rank = i + 1;
            while (rank > 1 && sorted.get(rank - 2).mean() == e.mean()) {
                rank--;
            }
            out.add(new Entry(e.model(), e.dataset(), rank, e.trial(), e.mean(), e.std(), e.n(), e.pos()));
        }
        return out;
    }

    /** One entry per trial with at least one completed, finite value; in trial order. */
    static List<Entry> configurations(CellInput c) {
        Map<Integer, List<Double>> values = new TreeMap<>();
        Map<Integer, Integer> pos = new TreeMap<>();
        for (Outcome o : c.outcomes()) {
            if ("completed".equals(o.status()) && o.value() != null && !o.value().isNaN()) {
                values.computeIfAbsent(o.trial(), t -> new ArrayList<>()).add(o.value());
                pos.merge(o.trial(), o.pos(), Math::min);
            }
        }
        List<Entry> out = new ArrayList<>();
        values.forEach((trial, v) -> out.add(new Entry(c.model(), c.dataset(), 0, trial, Matrix.mean(v), Matrix.std(v), v.size(),
                pos.get(trial))));
        return out;
    }
}
