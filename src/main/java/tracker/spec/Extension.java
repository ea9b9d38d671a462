package tracker.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a changed definition only adds to the old one - new models, datasets or suites, more
 * trials or replicates, values added to a grid - so that {@code create --extend} may plan the new runs next to the old
 * ones, whose results stay valid. Descriptions, tags and priorities may change too; anything else
 * would make old and new runs incomparable and is refused.
 */
public final class Extension {
    private Extension() {
    }

    /**
     * What is refused of a model's changed params. A grid may gain values - a list more values, a
     * constant become a list that holds it - since its new settings can be appended as new trials
     * after the old ones (tracker.plan.GridStages); anything else changes what earlier trials meant.
     * Other methods draw trial k from the space, so another space would draw every trial again.
     */
    static List<String> paramChanges(String model, Definition.Model before, Definition.Model after, Definition.Method method) {
        List<String> out = new ArrayList<>();
        if (method != Definition.Method.grid) {
            out.add("parameters of model '" + model + "' changed: under " + method.word + " search trial k's setting is drawn from the "
                    + "space, so another space would draw every trial again and mix two distributions in one cell (only a grid "
                    + "search may gain values)");
            return out;
        }
        for (String p : before.params().keySet()) {
            if (!after.params().containsKey(p)) {
                out.add("model '" + model + "': parameter '" + p + "' was removed");
            }
        }
        for (String p : after.params().keySet()) {
            if (!before.params().containsKey(p)) {
                out.add("model '" + model + "': parameter '" + p + "' was added (its earlier trials have no value for it)");
            }
        }
        before.params().forEach((p, was) -> {
            Space now = after.params().get(p);
            if (now == null || now.equals(was)) {
                return;
            }
            List<Object> old = listed(was);
            List<Object> grown = listed(now);
            if (old == null || grown == null) {
                out.add("model '" + model + "': parameter '" + p + "' changed from " + was.distribution() + " to " + now.distribution()
                        + " (a grid grows by values added to a list or to a constant)");
                return;
            }
            List<Object> removed = old.stream().filter(v -> grown.stream().noneMatch(g -> same(g, v))).toList();
            if (!removed.isEmpty()) {
                out.add("model '" + model + "': parameter '" + p + "' lost " + (removed.size() == 1 ? "value " : "values ")
                        + String.join(", ", removed.stream().map(String::valueOf).toList()) + " (" + old + " -> " + grown
                        + "; a grid may only gain values: their runs would stay)");
            }
        });
        return out;
    }

    /** A constant's or a list's values; null for the other kinds. */
    private static List<Object> listed(Space s) {
        return s instanceof Space.Constant c ? List.of(c.value()) : s instanceof Space.Categorical c ? c.values() : null;
    }

    /** The same value, 3 as an Integer or as a Long alike. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double) && !(b instanceof Double)
                && !(a instanceof Float) && !(b instanceof Float)) {
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }

    /** A model whose priority the extension changes (its own, or runs.priority that it inherits). */
    public record Repriced(String model, int from, int to) {
    }

    /** The models of both definitions whose priority differs, in name order: their cells take the new one. */
    public static List<Repriced> repriced(Definition before, Definition after) {
        List<Repriced> out = new ArrayList<>();
        before.models().forEach((name, m) -> {
            Definition.Model now = after.models().get(name);
            if (now != null && before.priorityOf(m) != after.priorityOf(now)) {
                out.add(new Repriced(name, before.priorityOf(m), after.priorityOf(now)));
            }
        });
        return out;
    }

    /** The changes that are not additive, one readable line each; empty when the extension is allowed. */
    public static List<String> refusals(Definition before, Definition after) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(before.objective(), after.objective())) {
            out.add("objective changed: " + before.objective() + " -> " + after.objective());
        }
        if (!Objects.equals(before.command(), after.command())) {
            out.add("command changed");
        }
        // runs.priority may change (as a model's priority may): it orders claims, the runs mean the same.
        if (!before.runs().lease().equals(after.runs().lease()) || before.runs().maxAttempts() != after.runs().maxAttempts()) {
            out.add("runs.lease or runs.max_attempts changed");
        }
        // search.run_limit may change: it bounds the plan's size, the runs mean the same.
        Definition.Search s0 = before.search();
        Definition.Search s1 = after.search();
        if (s0.method() != s1.method() || s0.seed() != s1.seed() || s0.gridLimit() != s1.gridLimit()) {
            out.add("search method, seed or grid_limit changed");
        }
        // What earlier trials were chosen and stopped by: changing it would mix two searches in one cell.
        if (s0.startup() != s1.startup() || s0.transfer() != s1.transfer() || !Objects.equals(s0.earlyStopping(), s1.earlyStopping())) {
            out.add("search.startup, transfer or early_stopping changed");
        }
        // For grid search, no trials means the whole grid: going there only adds; leaving it caps.
        if (s0.trials() == null ? s1.trials() != null : s1.trials() != null && s1.trials() < s0.trials()) {
            out.add("search.trials went down (" + s0.trials() + " -> " + s1.trials() + "); extending only adds");
        }
        if (s1.replicates() < s0.replicates()) {
            out.add("search.replicates went down (" + s0.replicates() + " -> " + s1.replicates() + ")");
        }
        before.datasets().forEach((name, ds) -> {
            Definition.Dataset now = after.datasets().get(name);
            if (now == null) {
                out.add("dataset '" + name + "' was removed");
            } else if (!now.attributes().equals(ds.attributes())) {
                out.add("attributes of dataset '" + name + "' changed");
            }
        });
        before.suites().forEach((name, members) -> {
            List<String> now = after.suites().get(name);
            if (now == null) {
                out.add("suite '" + name + "' was removed");
            } else if (!now.containsAll(members)) {
                out.add("suite '" + name + "' lost datasets");
            }
        });
        before.models().forEach((name, m) -> {
            Definition.Model now = after.models().get(name);
            if (now == null) {
                out.add("model '" + name + "' was removed");
                return;
            }
            if (!now.conditions().equals(m.conditions())) { // when: is part of a parameter: earlier trials were drawn under the old ones
                out.add("parameters of model '" + name + "' changed: their conditions (when:)");
            }
            if (!now.params().equals(m.params())) {
                out.addAll(paramChanges(name, m, now, after.search().method()));
            }
            if (!now.datasets().containsAll(m.datasets())) {
                out.add("model '" + name + "' no longer runs on some of its datasets");
            }
        });
        return out;
    }
}
