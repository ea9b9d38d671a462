package tracker.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A readable difference of two canonical forms, by dotted path. */
final class DefinitionDiff {
    private DefinitionDiff() {
    }

    static List<String> lines(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> a = new LinkedHashMap<>();
        Map<String, Object> b = new LinkedHashMap<>();
        flatten("", before, a);
        flatten("", after, b);
        TreeSet<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            boolean inA = a.containsKey(p);
            boolean inB = b.containsKey(p);
            if (inA && inB) {
                String x = CanonicalYaml.flow(a.get(p));
                String y = CanonicalYaml.flow(b.get(p));
                if (!x.equals(y)) {
                    out.add("  " + p + ": " + x + " -> " + y);
                }
            } else if (inB) {
                out.add("+ " + p + ": " + CanonicalYaml.flow(b.get(p)));
            } else {
                out.add("- " + p + ": " + CanonicalYaml.flow(a.get(p)));
            }
        }
        return out;
    }

    /** Maps become dotted paths down to their leaves; lists and spaces stay whole (one line each). */
    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String path = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            boolean space = v instanceof Map<?, ?> m && m.containsKey("distribution");
            if (v instanceof Map<?, ?> m && !m.isEmpty() && !space) {
                flatten(path, m, out);
            } else {
                out.put(path, v);
            }
        }
    }
}
