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
        grid("grid"), random("random"), quasi_random("quasi-random");

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
     * @param trials     settings per model x dataset cell; for grid, null means the whole grid
     * @param replicates seeds per setting
     * @param gridLimit  the largest grid a model may have
     * @param runLimit   the most runs the whole definition may plan
     */
    public record Search(Method method, Integer trials, int replicates, long seed, int gridLimit, int runLimit) {
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
