package tracker.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import tracker.spec.Definition;
import tracker.spec.Space;

/**
 * How the grids of an experiment's models grew through {@code create --extend}: per grown model,
 * the values of its list and constant params at each stage, the first stage being the grid it was
 * planned with. Stored with the experiment (it grows with the number of extensions, never with
 * the runs), because the plan of a grown grid is a function of its history, not of its last
 * definition alone: a grid enumerated afresh comes in another shuffled order, and trial k would
 * be another setting.
 *
 * <p>A grown model's trials are stage 0's grid in its own order, then each later stage's grid
 * minus the settings of the stages before it, appended; {@code search.trials} caps the whole
 * sequence. Each stage's grid is the ordinary grid enumeration ({@link SettingsSampler}) of the
 * model with its lists restricted to that stage's values, so trials planned before keep their
 * numbers and settings, and the new settings get the numbers after them.
 */
public record GridStages(Map<String, List<Map<String, Values>>> byModel) {
    public static final GridStages NONE = new GridStages(Map.of());

    /** A param's values at a stage: a constant's one value, or a list's values in their written order. */
    public record Values(boolean constant, List<Object> values) {
    }

    public GridStages {
        byModel = Collections.unmodifiableMap(new LinkedHashMap<>(byModel));
    }

    public boolean isEmpty() {
        return byModel.isEmpty();
    }

    /** As {@code show -o json} gives them: {model: [{param: value or [values]}, ...]}, a stage a map. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        byModel.forEach((model, stages) -> {
            List<Object> list = new ArrayList<>();
            for (Map<String, Values> stage : stages) {
                Map<String, Object> m = new LinkedHashMap<>();
                stage.forEach((param, v) -> m.put(param, v.constant() ? v.values().get(0) : v.values()));
                list.add(m);
            }
            out.put(model, list);
        });
        return out;
    }

    /** Read back from {@link #json} (through tracker serve); NONE for null. */
    @SuppressWarnings("unchecked")
    public static GridStages fromJson(Object json) {
        if (!(json instanceof Map<?, ?> models)) {
            return NONE;
        }
        Map<String, List<Map<String, Values>>> out = new LinkedHashMap<>();
        ((Map<String, Object>) models).forEach((model, stages) -> {
            List<Map<String, Values>> list = new ArrayList<>();
            for (Object stage : (List<Object>) stages) {
                Map<String, Values> m = new LinkedHashMap<>();
                ((Map<String, Object>) stage).forEach((param, v) -> m.put(param, v instanceof List<?> l ? new Values(false, new ArrayList<>(l))
                        : new Values(true, Collections.singletonList(v))));
                list.add(m);
            }
            out.put(model, list);
        });
        return new GridStages(out);
    }

    /** The values of a model's constant and list params (those a grid may grow). */
    public static Map<String, Values> valuesOf(Definition.Model model) {
        Map<String, Values> out = new LinkedHashMap<>();
        model.params().forEach((name, space) -> {
            if (space instanceof Space.Constant c) {
                out.put(name, new Values(true, List.of(c.value())));
            } else if (space instanceof Space.Categorical c) {
                out.put(name, new Values(false, List.copyOf(c.values())));
            }
        });
        return out;
    }

    /**
     * The stages after extending {@code before} (whose stages these are) to {@code after}: a grid
     * model whose params changed gains a stage with its new values ({@link tracker.spec.Extension}
     * allowed only additions); models that are gone are dropped.
     */
    public GridStages extendedBy(Definition before, Definition after) {
        Map<String, List<Map<String, Values>>> out = new LinkedHashMap<>();
        for (Definition.Model m : after.models().values()) {
            List<Map<String, Values>> stages = byModel.get(m.name());
            Definition.Model old = before.models().get(m.name());
            if (after.search().method() == Definition.Method.grid && old != null && !old.params().equals(m.params())) {
                List<Map<String, Values>> grown = new ArrayList<>(stages != null ? stages : List.of(valuesOf(old)));
                grown.add(valuesOf(m));
                stages = grown;
            }
            if (stages != null) {
                out.put(m.name(), List.copyOf(stages));
            }
        }
        return new GridStages(out);
    }

    /**
     * The settings of a grown model's trials 0..count-1 (all of them when {@code search.trials} is
     * null); null when the model did not grow, for the ordinary grid.
     */
    List<SortedMap<String, Object>> settings(Definition.Model model, Definition.Search search, int count) {
        List<Map<String, Values>> stages = byModel.get(model.name());
        if (stages == null || search.method() != Definition.Method.grid) {
            return null;
        }
        // Each stage's whole grid: a cap applies to the sequence, not to each stage.
        Definition.Search whole = new Definition.Search(search.method(), null, search.replicates(), search.seed(), search.gridLimit(),
                search.runLimit(), search.startup(), search.transfer(), search.earlyStopping());
        List<SortedMap<String, Object>> out = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (Map<String, Values> stage : stages) {
            for (SortedMap<String, Object> s : SettingsSampler.settings(restricted(model, stage), whole, 0)) {
                if (seen.add(key(s))) {
                    out.add(s);
                }
            }
        }
        int want = search.trials() == null ? out.size() : Math.min(count, out.size());
        return Collections.unmodifiableList(out.subList(0, want));
    }

    /** The model with its constant and list params as they were at a stage. */
    static Definition.Model restricted(Definition.Model model, Map<String, Values> stage) {
        SortedMap<String, Space> params = new TreeMap<>(model.params());
        stage.forEach((name, v) -> params.put(name, v.constant() ? new Space.Constant(v.values().get(0)) : new Space.Categorical(v.values())));
        return new Definition.Model(model.name(), model.suites(), model.datasets(), params, model.priority(), model.conditions());
    }

    /** A setting compared by value: 3 read as an Integer here and as a Long there is one setting. */
    private static List<Object> key(SortedMap<String, Object> setting) {
        List<Object> key = new ArrayList<>();
        setting.forEach((name, v) -> {
            key.add(name);
            key.add(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte ? (Object) ((Number) v).longValue() : v);
        });
        return key;
    }
}
