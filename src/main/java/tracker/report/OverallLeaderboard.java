package tracker.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The best configurations of a whole experiment, across datasets whose scores cannot be compared
 * with each other (0.6 may be the best accuracy on one dataset and the worst on another), so
 * configurations are ranked within each dataset first and their ranks aggregated.
 *
 * <p>A configuration is a model's trial: settings are a pure function of (model, trial) (see
 * {@link tracker.plan.SettingsSampler}), so trial k of a model has the same parameters on every
 * dataset. On each dataset, every configuration with a value there - the mean of its completed
 * replicates, as in {@link Leaderboard} - is ranked: 1 is best, tied means share the average of
 * the ranks they span (1, 2.5, 2.5, 4). A configuration's score is its mean rank over the datasets
 * it has values on.
 *
 * <p>Order: most datasets covered first - a mean rank over fewer datasets says less and would
 * favour a configuration that has only run where it does well - then the lowest mean rank, then
 * model and trial order. Equal coverage and mean rank share the overall rank (1, 1, 3).
 */
public final class OverallLeaderboard {
    /** How the ranking is made, in one line, for every format's header. */
    public static final String RANKING = "ranked on each dataset by the mean over replicates (1 best, ties share the average rank);"
            + " listed by most datasets, then lowest mean rank";

    /**
     * A configuration's figure on one dataset.
     *
     * @param rank among every configuration with a value on the dataset (1 best, ties averaged)
     * @param best no configuration has a better mean on the dataset
     */
    public record Score(String dataset, double mean, double std, int n, double rank, boolean best) {
    }

    /**
     * A configuration across the datasets.
     *
     * @param rank        overall, in the order described above
     * @param scores      on the datasets it has values on, in dataset order
     * @param firstDataset the first of them, and {@code pos} the queue position of one of its runs
     *                    there: a run that names the configuration
     */
    public record Standing(String model, int trial, int rank, double meanRank, List<Score> scores, String firstDataset, int pos) {
        /** How many datasets it has values on (k of N). */
        public int covered() {
            return scores.size();
        }

        /** Its score on {@code dataset}, or null without a value there. */
        public Score on(String dataset) {
            return scores.stream().filter(s -> s.dataset().equals(dataset)).findFirst().orElse(null);
        }
    }

    /**
     * @param datasets  the datasets with a value of any configuration, in the order given: the N of
     *                  "k of N"
     * @param standings the top configurations, best first
     */
    public record Result(List<String> datasets, List<Standing> standings) {
        /** True when a listed configuration lacks a value on some dataset (the table then says why it comes after). */
        public boolean partial() {
            return standings.stream().anyMatch(s -> s.covered() < datasets.size());
        }
    }

    private OverallLeaderboard() {
    }

    /**
     * The top {@code k} configurations.
     *
     * @param datasetOrder the experiment's datasets in the definition's order (a dataset of a cell
     *                     missing from it goes last)
     * @param cells        in the definition's model order, which breaks ties
     */
    public static Result compute(List<String> datasetOrder, List<Leaderboard.CellInput> cells, boolean maximize, int k) {
        Map<String, List<Leaderboard.Entry>> byDataset = new LinkedHashMap<>();
        Set<String> order = new LinkedHashSet<>(datasetOrder);
        List<String> models = new ArrayList<>();
        for (Leaderboard.CellInput c : cells) {
            order.add(c.dataset());
            if (!models.contains(c.model())) {
                models.add(c.model());
            }
        }
        order.forEach(d -> byDataset.put(d, new ArrayList<>()));
        for (Leaderboard.CellInput c : cells) {
            for (Leaderboard.Entry e : Leaderboard.configurations(c)) {
                if (!Double.isNaN(e.mean())) { // +Inf and -Inf together: no value to rank
                    byDataset.get(c.dataset()).add(e);
                }
            }
        }
        byDataset.values().removeIf(List::isEmpty);

        // (model, trial) -> its scores, in dataset order since datasets are visited in order
        Map<String, List<Score>> scores = new LinkedHashMap<>();
        Map<String, Leaderboard.Entry> first = new LinkedHashMap<>();
        byDataset.forEach((dataset, entries) -> {
            Comparator<Leaderboard.Entry> better = Comparator.comparingDouble(Leaderboard.Entry::mean);
            List<Leaderboard.Entry> sorted = new ArrayList<>(entries);
            sorted.sort(maximize ? better.reversed() : better);
            for (int i = 0; i < sorted.size(); ) {
                int j = i;
                while (j + 1 < sorted.size() && sorted.get(j + 1).mean() == sorted.get(i).mean()) {
                    j++;
                }
                double rank = (i + 1 + j + 1) / 2.0; // the average of ranks i+1 .. j+1
                for (int t = i; t <= j; t++) {
                    Leaderboard.Entry e = sorted.get(t);
                    String key = e.model() + "\u0000" + e.trial();
                    scores.computeIfAbsent(key, x -> new ArrayList<>()).add(new Score(dataset, e.mean(), e.std(), e.n(), rank, i == 0));
                    first.putIfAbsent(key, e);
                }
                i = j + 1;
            }
        });

        List<Standing> all = new ArrayList<>();
        scores.forEach((key, s) -> {
            Leaderboard.Entry e = first.get(key);
            double sum = 0;
            for (Score score : s) {
                sum += score.rank();
            }
            // Ranks are multiples of 0.5, so equal sums over the same number of datasets divide to equal doubles.
            all.add(new Standing(e.model(), e.trial(), 0, sum / s.size(), List.copyOf(s), e.dataset(), e.pos()));
        });
        all.sort(Comparator.comparingInt(Standing::covered).reversed()
                .thenComparingDouble(Standing::meanRank)
                .thenComparingInt(s -> models.indexOf(s.model()))
                .thenComparingInt(Standing::trial));

        List<Standing> top = new ArrayList<>();
        for (int i = 0; i < all.size() && i < k; i++) {
            Standing s = all.get(i);
            boolean tied = i > 0 && all.get(i - 1).covered() == s.covered() && all.get(i - 1).meanRank() == s.meanRank();
            int rank = tied ? top.get(i - 1).rank() : i + 1;
            top.add(new Standing(s.model(), s.trial(), rank, s.meanRank(), s.scores(), s.firstDataset(), s.pos()));
        }
        return new Result(List.copyOf(byDataset.keySet()), top);
    }
}
