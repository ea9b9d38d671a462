package tracker.spec;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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
        String command,
        String derivedFrom) {

    /** A definition derived from no other. */
    public Definition(String name, String description, List<String> tags, Objective objective, SortedMap<String, Dataset> datasets,
                      SortedMap<String, List<String>> suites, SortedMap<String, Model> models, Search search, Runs runs, String command) {
        this(name, description, tags, objective, datasets, suites, models, search, runs, command, null);
    }

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
     *
     * @param conditions the conditional parameters ({@code when:}), by name; a parameter without one
     *                   is always active
     */
    public record Model(String name, List<String> suites, List<String> datasets, SortedMap<String, Space> params,
                        Integer priority, SortedMap<String, Condition> conditions) {
        public Model {
            conditions = conditions == null || conditions.isEmpty() ? Collections.emptySortedMap()
                    : Collections.unmodifiableSortedMap(new TreeMap<>(conditions));
        }

        /** A model whose parameters are all always active. */
        public Model(String name, List<String> suites, List<String> datasets, SortedMap<String, Space> params, Integer priority) {
            this(name, suites, datasets, params, priority, null);
        }

        /** Whether a parameter is absent from some settings. */
        public boolean conditional(String param) {
            return conditions.containsKey(param);
        }

        /**
         * The setting without the parameters that are inactive in it: those whose condition names a
         * parameter that is inactive itself, absent, or has none of the listed values. Conditions
         * form no cycle (the parser refuses one), so the recursion ends.
         */
        public SortedMap<String, Object> activeOnly(Map<String, Object> setting) {
            if (conditions.isEmpty()) {
                return Collections.unmodifiableSortedMap(new TreeMap<>(setting));
            }
            Map<String, Boolean> known = new HashMap<>();
            TreeMap<String, Object> out = new TreeMap<>();
            setting.forEach((name, value) -> {
                if (active(name, setting, known)) {
                    out.put(name, value);
                }
            });
            return Collections.unmodifiableSortedMap(out);
        }

        private boolean active(String name, Map<String, Object> setting, Map<String, Boolean> known) {
            Boolean done = known.get(name);
            if (done != null) {
                return done;
            }
            Condition c = conditions.get(name);
            boolean yes = setting.containsKey(name);
            if (yes && c != null) {
                for (Map.Entry<String, List<Object>> on : c.values().entrySet()) {
                    if (!active(on.getKey(), setting, known) || !Condition.among(setting.get(on.getKey()), on.getValue())) {
                        yes = false;
                        break;
                    }
                }
            }
            known.put(name, yes);
            return yes;
        }
    }

    /**
     * When a parameter is active: every named parameter is active and takes one of its listed
     * values. The values are the named parameter's own (same type, in its order), so two ways of
     * writing one condition are equal.
     *
     * @param values parameter name -> the values that make the condition hold
     */
    public record Condition(SortedMap<String, List<Object>> values) {
        public Condition {
            TreeMap<String, List<Object>> copy = new TreeMap<>();
            values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            values = Collections.unmodifiableSortedMap(copy);
        }

        /**
         * Whether a value is one of these, numbers by value: a setting read back from the database
         * may hold an Integer where the sampler wrote a Long.
         */
        public static boolean among(Object value, List<Object> values) {
            for (Object v : values) {
                if (v instanceof Number a && value instanceof Number b ? a.doubleValue() == b.doubleValue() : v.equals(value)) {
                    return true;
                }
            }
            return false;
        }
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
