package tracker.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A validated experiment definition, defaults applied. Maps are sorted by name, so that two files
 * that say the same thing build equal definitions (and the same {@link Canonical} hash).
 */
public record Definition(
        String name,
        String description,
        List<String> tags,
        Objective objective,
        SortedMap<String, Dataset> datasets,
        SortedMap<String, List<String>> suites,
        SortedMap<String, Model> models,
        Search search,
        Runs runs,
        String command) {

    public enum Goal { maximize, minimize }

    public enum Method {
        grid("grid"), random("random"), quasi_random("quasi-random"), tpe("tpe");

        public final String word;

        Method(String word) {
            this.word = word;
        }

        public static Method of(String word) {
            for (Method m : values()) {
                if (m.word.equals(word)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** What "better" means: the metric, the phase it is read from, and its direction. */
    public record Objective(String metric, String phase, Goal goal) {
    }

    /** A dataset and its free-form attributes (path, task type …), available to the command as {dataset.KEY}. */
    public record Dataset(String name, SortedMap<String, Object> attributes) {
    }

    /**
     * A model: its parameter space and the datasets it runs on (those named directly and those of
     * its suites, resolved and sorted).
     */
    public record Model(String name, List<String> suites, List<String> datasets, SortedMap<String, Space> params,
                        Integer priority) {
    }

    /**
     * @param trials        settings per model x dataset cell; for grid, null means the whole grid
     * @param replicates    seeds per setting
     * @param gridLimit     the largest grid a model may have
     * @param runLimit      the most runs the whole definition may plan
     * @param startup       tpe: a cell's trials drawn at random before its own history is used
     * @param transfer      tpe: a cell also learns from the same model's trials on the other datasets
     * @param earlyStopping how runs that fall behind their cell are stopped between epochs; null: never
     */
    public record Search(Method method, Integer trials, int replicates, long seed, int gridLimit, int runLimit,
                         int startup, boolean transfer, EarlyStopping earlyStopping) {
        public static final int DEFAULT_STARTUP = 10;

        /** A search without adaptive sampling or early stopping. */
        public Search(Method method, Integer trials, int replicates, long seed, int gridLimit, int runLimit) {
            this(method, trials, replicates, seed, gridLimit, runLimit, DEFAULT_STARTUP, false, null);
        }

        /** Whether a trial's setting is chosen when it is first claimed, from the history of its cell. */
        public boolean adaptive() {
            return method == Method.tpe;
        }
    }

    public enum Rule { asha, median }

    /**
     * Early stopping across epochs, decided when a run logs an epoch.
     *
     * @param rule      asha: at each rung (epoch minEpochs * eta^k) a run goes on only if it is among the
     *                  best 1/eta of its cell's runs that reached that rung; median: a run stops when it is
     *                  worse than the median of its cell's runs at the same epoch
     * @param minEpochs the first epoch a run may be stopped at
     * @param eta       asha: the reduction factor between rungs
     * @param minRuns   median: how many other runs of the cell must have reached the epoch before it judges
     */
    public record EarlyStopping(Rule rule, int minEpochs, int eta, int minRuns) {
        public static final int DEFAULT_ETA = 3;
        public static final int DEFAULT_MIN_RUNS = 5;

        /** Whether a run is judged at this epoch. */
        public boolean judges(long epoch) {
            if (epoch < minEpochs) {
                return false;
            }
            if (rule == Rule.median) {
                return true;
            }
            long rung = minEpochs;
            while (rung < epoch) {
                rung = Math.multiplyExact(rung, (long) eta);
            }
            return rung == epoch;
        }
    }

    /** How runs are handed out: lease length, attempts before a run fails, default priority. */
    public record Runs(Duration lease, int maxAttempts, int priority) {
    }

    public int priorityOf(Model model) {
        return model.priority() != null ? model.priority() : runs.priority();
    }

    /** Every (model, dataset) cell, models then datasets in name order. */
    public List<Map.Entry<Model, String>> cells() {
        return models.values().stream()
                .flatMap(m -> m.datasets().stream().map(d -> Map.entry(m, d)))
                .toList();
    }
}
