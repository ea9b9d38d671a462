package tracker.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import tracker.spec.Definition.Condition;
import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;
import tracker.util.FloatText;
import tracker.util.Suggestions;

/**
 * The {@code when:} of a model's parameters: {@code momentum: {..., when: {optimizer: sgd}}} makes
 * momentum active only when optimizer is sgd. Read after all of the model's parameters, since a
 * condition names others: each named parameter must exist, be a constant or categorical (whose
 * values can be listed), and be able to take the listed values; conditions must not form a cycle.
 */
final class ConditionParser {
    private final Fields f;

    ConditionParser(Fields fields) {
        this.f = fields;
    }

    /**
     * @param written every parameter written for the model, valid or not, with its value node (so a
     *                condition naming a parameter whose space had an error is not also "unknown")
     * @param params  the parameters whose space was read
     */
    SortedMap<String, Condition> parse(String model, Map<String, YNode> written, SortedMap<String, Space> params) {
        SortedMap<String, Condition> out = new TreeMap<>();
        Map<String, Map<String, YScalar>> edges = new TreeMap<>(); // param -> the keys of its when, by name
        written.forEach((param, node) -> {
            if (!(node instanceof YMap m) || !m.entries().containsKey("when")) {
                return;
            }
            String what = model + "." + param + ".when";
            YNode whenNode = m.get("when");
            if (whenNode == null) {
                f.problems().add(m.entries().get("when").key(), what + " is empty: name the parameters it depends on, "
                        + "e.g. when: {optimizer: sgd}");
                return;
            }
            YMap when = f.mapping(whenNode, what, null);
            if (when == null) {
                return;
            }
            if (when.entries().isEmpty()) {
                f.problems().add(when, what + " is empty: name the parameters it depends on, e.g. when: {optimizer: sgd}");
                return;
            }
            Map<String, YScalar> keys = new TreeMap<>();
            SortedMap<String, List<Object>> values = new TreeMap<>();
            boolean ok = true;
            for (YNode.Entry e : when.entries().values()) {
                String on = e.key().text();
                if (on.equals(param)) {
                    f.problems().add(e.key(), what + " names '" + param + "' itself: a parameter cannot depend on its own value");
                    ok = false;
                    continue;
                }
                if (!written.containsKey(on)) {
                    Set<String> others = new LinkedHashSet<>(written.keySet());
                    others.remove(param);
                    String near = Suggestions.closest(on, others);
                    f.problems().add(e.key(), what + " names parameter '" + on + "', which model '" + model + "' does not have"
                            + (near != null ? " (did you mean '" + near + "'?)" : others.isEmpty() ? "" : "; its parameters: "
                            + String.join(", ", others)));
                    ok = false;
                    continue;
                }
                keys.put(on, e.key());
                Space space = params.get(on);
                if (space == null) {
                    ok = false; // its own problem is reported already
                    continue;
                }
                List<Object> allowed = allowed(space);
                if (allowed == null) {
                    f.problems().add(e.key(), what + " names '" + on + "', a " + space.distribution() + " parameter: a condition can only "
                            + "name a constant or a categorical one, whose values can be listed; give '" + on
                            + "' a list of values ([...] or {values: [...]}) to condition on them");
                    ok = false;
                    continue;
                }
                List<Object> chosen = values(e, what, on, allowed);
                if (chosen == null) {
                    ok = false;
                } else {
                    values.put(on, chosen);
                }
            }
            edges.put(param, keys);
            if (ok) {
                out.put(param, new Condition(values));
            }
        });
        reportCycles(model, edges);
        return out;
    }

    /** The values a parameter a condition names can take, or null when they cannot be listed. */
    private static List<Object> allowed(Space space) {
        if (space instanceof Space.Constant c) {
            return List.of(c.value());
        }
        if (space instanceof Space.Categorical c) {
            return c.values();
        }
        return null;
    }

    /** The listed values as the named parameter's own (its type, its order), or null after a problem. */
    private List<Object> values(YNode.Entry e, String what, String on, List<Object> allowed) {
        YNode node = e.value();
        String where = what + "." + on;
        if (node == null || (node instanceof YScalar s && s.value() == null)) {
            f.problems().add(e.key(), where + " has no value: give one of " + on + "'s values or a list of them");
            return null;
        }
        List<YNode> items = node instanceof YList l ? l.items() : List.of(node);
        if (items.isEmpty()) {
            f.problems().add(node, where + " is an empty list: give at least one of " + on + "'s values (" + shown(allowed) + ")");
            return null;
        }
        Set<Object> matched = new LinkedHashSet<>();
        boolean ok = true;
        for (YNode item : items) {
            if (!(item instanceof YScalar s) || s.value() == null) {
                f.problems().add(item, where + ": each value must be a number, text or true/false, not " + Fields.article(item.kind()));
                ok = false;
                continue;
            }
            Object match = null;
            for (Object a : allowed) {
                if (Condition.among(s.value(), List.of(a))) {
                    match = a;
                    break;
                }
            }
            if (match == null) {
                String near = s.value() instanceof String text
                        ? Suggestions.closest(text, allowed.stream().filter(a -> a instanceof String).map(a -> (String) a).toList()) : null;
                f.problems().add(item, where + ": '" + on + "' never takes the value " + s.text() + ", so the condition could never hold"
                        + (near != null ? " (did you mean " + near + "?)" : "") + "; its values: " + shown(allowed));
                ok = false;
                continue;
            }
            matched.add(match);
        }
        if (!ok) {
            return null;
        }
        return allowed.stream().filter(matched::contains).toList(); // the parameter's order: one spelling per meaning
    }

    private static String shown(List<Object> values) {
        return String.join(", ", values.stream().map(v -> v instanceof Double d ? FloatText.of(d) : String.valueOf(v)).toList());
    }

    /** Each cycle once, at the condition of its first parameter (in name order) that leads around it. */
    private void reportCycles(String model, Map<String, Map<String, YScalar>> edges) {
        Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
        for (String start : edges.keySet()) {
            visit(model, start, edges, state, new ArrayList<>());
        }
    }

    private void visit(String model, String param, Map<String, Map<String, YScalar>> edges, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(param);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(param), path.size()));
            cycle.add(param);
            String first = cycle.get(0);
            f.problems().add(edges.get(first).get(cycle.get(1)), model + "." + first + ".when: a cycle of conditions ("
                    + String.join(" -> ", cycle) + "): each would be active only when the other is; remove one of the conditions");
            return;
        }
        state.put(param, 1);
        path.add(param);
        for (String next : edges.getOrDefault(param, Map.of()).keySet()) {
            visit(model, next, edges, state, path);
        }
        path.remove(path.size() - 1);
        state.put(param, 2);
    }
}
