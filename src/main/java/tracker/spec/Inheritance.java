package tracker.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;
import tracker.util.Suggestions;

/**
 * {@code extends:} between models, and {@code templates:} - models that are never run, only
 * extended. A model that extends another is the other one with its own keys laid on top (see
 * {@link YMerge}): parameters merge one by one, a parameter set to {@code ~} is removed, lists
 * (datasets, suites, values) are replaced. Chains resolve from the root down; a cycle is refused.
 * The result is plain models, so the canonical form and the hash do not depend on how a
 * definition was factored.
 */
final class Inheritance {
    static final String EXTENDS = "extends";
    static final String TEMPLATES = "templates";

    private final Problems problems;
    private final Fields f;
    private final Map<String, YNode.Entry> templates;
    private final Map<String, YNode.Entry> models;
    private final Map<String, YMap> resolved = new LinkedHashMap<>();
    /** The models and templates being resolved, from the first down: meeting one again is a cycle. */
    private final List<String> open = new ArrayList<>();

    private Inheritance(Problems problems, Map<String, YNode.Entry> templates, Map<String, YNode.Entry> models) {
        this.problems = problems;
        this.f = new Fields(problems);
        this.templates = templates;
        this.models = models;
    }

    /** The definition with every model's {@code extends:} resolved and {@code templates:} gone. */
    static YMap resolve(YMap top, Problems problems) {
        YNode.Entry t = top.entries().get(TEMPLATES);
        YNode.Entry m = top.entries().get("models");
        Fields f = new Fields(problems);
        Map<String, YNode.Entry> templates = new LinkedHashMap<>();
        if (t != null && !YMerge.removes(t.value())) {
            YMap map = f.mapping(t.value(), "templates", null);
            if (map != null) {
                templates.putAll(map.entries());
            }
        }
        if (!(m != null && m.value() instanceof YMap modelMap)) {
            if (t == null) {
                return top;
            }
            return without(top, TEMPLATES, null); // the parser says what is wrong with models
        }
        for (YNode.Entry e : templates.values()) {
            String name = e.key().text();
            if (modelMap.entries().containsKey(name)) {
                problems.add(e.key(), "template '" + name + "' has the name of a model (" + modelMap.entries().get(name).key().where()
                        + "); extends: names either, so give them different names");
            }
        }
        Inheritance inheritance = new Inheritance(problems, templates, modelMap.entries());
        Map<String, YNode.Entry> out = new LinkedHashMap<>();
        for (YNode.Entry e : modelMap.entries().values()) {
            YNode value = e.value() instanceof YMap ? inheritance.resolve(e.key().text(), e) : e.value();
            out.put(e.key().text(), new YNode.Entry(e.key(), value));
        }
        for (YNode.Entry e : templates.values()) {
            // its extends: is followed even when nothing extends the template: a broken chain is still broken
            if (e.value() instanceof YMap) {
                inheritance.resolve(e.key().text(), e);
            } else {
                f.mapping(e.value() == null ? e.key() : e.value(), "template '" + e.key().text() + "'", null);
            }
        }
        YMap models = new YMap(out, modelMap.line(), modelMap.column(), modelMap.origin());
        return without(top, TEMPLATES, models);
    }

    private static YMap without(YMap top, String key, YMap models) {
        Map<String, YNode.Entry> entries = new LinkedHashMap<>(top.entries());
        entries.remove(key);
        if (models != null) {
            YNode.Entry m = entries.get("models");
            entries.put("models", new YNode.Entry(m.key(), models));
        }
        return new YMap(entries, top.line(), top.column(), top.origin());
    }

    private String kind(String name) {
        return models.containsKey(name) ? "model" : "template";
    }

    /** A model or template with its ancestors laid underneath; null when it cannot be resolved. */
    private YMap resolve(String name, YNode.Entry entry) {
        if (resolved.containsKey(name)) {
            return resolved.get(name);
        }
        YMap own = (YMap) entry.value();
        YNode ext = own.get(EXTENDS);
        if (ext == null) {
            YMap plain = without(own, EXTENDS);
            resolved.put(name, plain);
            return plain;
        }
        String parent = f.name(ext, "extends");
        if (parent == null) {
            return null;
        }
        YNode.Entry parentEntry = models.containsKey(parent) ? models.get(parent) : templates.get(parent);
        if (parentEntry == null) {
            TreeSet<String> known = new TreeSet<>(models.keySet());
            known.addAll(templates.keySet());
            known.remove(name);
            String near = Suggestions.closest(parent, known);
            problems.add(ext, kind(name) + " '" + name + "' extends '" + parent + "', which is neither a model nor a template"
                    + (near != null ? " (did you mean '" + near + "'?)" : templates.isEmpty() ? "; define it under models: or templates:" : ""));
            return null;
        }
        if (!(parentEntry.value() instanceof YMap)) {
            problems.add(ext, kind(name) + " '" + name + "' extends '" + parent + "', which is not a mapping ("
                    + parentEntry.key().where() + ")");
            return null;
        }
        if (open.contains(parent) || parent.equals(name)) {
            List<String> cycle = new ArrayList<>(open.subList(Math.max(0, open.indexOf(parent)), open.size()));
            if (cycle.isEmpty() || !cycle.get(cycle.size() - 1).equals(name)) {
                cycle.add(name);
            }
            cycle.add(parent);
            problems.add(ext, "extends goes round in a circle: " + String.join(" -> ", cycle) + "; one of them must stand on its own");
            return null;
        }
        open.add(name);
        YMap base;
        try {
            base = resolve(parent, parentEntry);
        } finally {
            open.remove(open.size() - 1);
        }
        if (base == null) {
            return null;
        }
        checkRemovals(name, parent, own, base);
        YMap merged = YMerge.merge(base, without(own, EXTENDS));
        resolved.put(name, merged);
        return merged;
    }

    /** {@code param: ~} removes an inherited parameter; one that is not inherited is a mistake worth saying. */
    private void checkRemovals(String name, String parent, YMap own, YMap base) {
        if (!(own.get("params") instanceof YMap params)) {
            return;
        }
        YMap inherited = base.get("params") instanceof YMap p ? p : null;
        for (YNode.Entry e : params.entries().values()) {
            if (YMerge.removes(e.value()) && (inherited == null || !inherited.entries().containsKey(e.key().text()))) {
                problems.add(e.key(), kind(name) + " '" + name + "' removes parameter '" + e.key().text() + "' (with ~), but '"
                        + parent + "' has no such parameter" + (inherited == null || inherited.entries().isEmpty() ? ""
                        : "; it has " + String.join(", ", inherited.entries().keySet())));
            }
        }
    }

    private static YMap without(YMap map, String key) {
        if (!map.entries().containsKey(key)) {
            return map;
        }
        Map<String, YNode.Entry> entries = new LinkedHashMap<>(map.entries());
        entries.remove(key);
        return new YMap(entries, map.line(), map.column(), map.origin());
    }
}
