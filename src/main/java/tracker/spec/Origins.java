package tracker.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;

/**
 * Where each value of a resolved definition was written: "file:line:column", and the {@code --set}
 * that wrote it if one did. Keyed by the dotted path of the canonical form
 * ({@code models.mlp.params.lr}), so {@code show -o yaml --origins} can say, line by line, which
 * file (the definition, an include, a template it extends) a value came from; a canonical line
 * with no entry is a default.
 */
public record Origins(Map<String, String> places) {
    public static final Origins NONE = new Origins(Map.of());

    public Origins {
        places = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(places)); // in file order, for the comments
    }

    static Origins of(YMap top) {
        Map<String, String> out = new LinkedHashMap<>();
        walk(top, "", out);
        return new Origins(out);
    }

    private static void walk(YNode node, String path, Map<String, String> out) {
        if (node instanceof YMap m) {
            for (YNode.Entry e : m.entries().values()) {
                String key = e.key().text();
                // Suites may be written inside datasets:; the canonical form has them at the top.
                String p = path.equals("datasets") && key.equals("suites") ? "suites" : path.isEmpty() ? key : path + "." + key;
                out.put(p, e.value() == null ? e.key().where() : e.value().where());
                walk(e.value(), p, out);
            }
        } else if (node instanceof YList l) {
            // Named items (datasets written as a list) are keyed by their name, as the canonical form keys them.
            for (YNode item : l.items()) {
                String name = item instanceof YScalar s && s.value() != null ? s.text()
                        : item instanceof YMap im && im.get("name") instanceof YScalar n ? n.text() : null;
                if (name != null) {
                    out.putIfAbsent(path + "." + name, item.where());
                    if (item instanceof YMap) {
                        walk(item, path + "." + name, out);
                    }
                }
            }
        }
    }

    /** The place of a path, or null for a default. */
    public String of(String path) {
        return places.get(path);
    }

    /**
     * The comment for a canonical line: the place of its value, and, for a value written on one
     * line (a parameter's range), the places of its parts that came from elsewhere.
     */
    String comment(String path, boolean oneLine) {
        String at = places.get(path);
        if (at == null && path.matches("models\\.[^.]+\\.datasets")) {
            return "from its suites";
        }
        if (at == null && path.matches("models\\.[^.]+\\.priority")) {
            return places.containsKey("runs.priority") ? "runs.priority, " + places.get("runs.priority") : "default";
        }
        if (at == null) {
            return "default";
        }
        if (!oneLine) {
            return at;
        }
        List<String> parts = new ArrayList<>();
        String source = source(at);
        String prefix = path + ".";
        places.forEach((p, where) -> {
            if (p.startsWith(prefix) && p.indexOf('.', prefix.length()) < 0 && !source(where).equals(source)) {
                parts.add(p.substring(prefix.length()) + " from " + where);
            }
        });
        return parts.isEmpty() ? at : at + "; " + String.join("; ", parts);
    }

    /** A place without its line and column: which file, and which --set. */
    private static String source(String where) {
        return where.replaceFirst(":\\d+:\\d+", "");
    }

    /** As stored beside the definition: [path, place] pairs (paths contain dots, which field names should not). */
    public List<List<String>> pairs() {
        List<List<String>> out = new ArrayList<>();
        places.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(List.of(e.getKey(), e.getValue())));
        return out;
    }

    public static Origins fromPairs(List<?> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        if (pairs != null) {
            for (Object o : pairs) {
                if (o instanceof List<?> l && l.size() == 2) {
                    m.put(String.valueOf(l.get(0)), String.valueOf(l.get(1)));
                }
            }
        }
        return new Origins(m);
    }
}
