package tracker.spec;

import java.util.List;
import java.util.Map;

import tracker.json.JsonWriter;
import tracker.util.FloatText;

/**
 * Writes canonical maps as YAML: block mappings, flow style for lists and small mappings of
 * scalars, strings quoted whenever a plain scalar would read back as something else.
 */
final class CanonicalYaml {
    private CanonicalYaml() {
    }

    static String write(Map<String, Object> map) {
        return write(map, null);
    }

    /** With {@code origins}, each line ends in a comment saying where its value was written (or "default"). */
    static String write(Map<String, Object> map, Origins origins) {
        StringBuilder sb = new StringBuilder();
        block(sb, map, 0, "", origins);
        return sb.toString();
    }

    private static void block(StringBuilder sb, Map<?, ?> map, int indent, String path, Origins origins) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String p = path.isEmpty() ? key : path + "." + key;
            sb.append("  ".repeat(indent)).append(scalar(key)).append(':');
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m && !m.isEmpty() && !flowable(m)) {
                if (origins != null) {
                    sb.append("  # ").append(origins.comment(p, false));
                }
                sb.append('\n');
                block(sb, m, indent + 1, p, origins);
            } else {
                sb.append(' ').append(flow(v));
                if (origins != null) {
                    sb.append("  # ").append(origins.comment(p, true));
                }
                sb.append('\n');
            }
        }
    }

    /** Small mappings whose values are all scalars or lists of scalars fit on one line. */
    private static boolean flowable(Map<?, ?> m) {
        for (Object v : m.values()) {
            if (v instanceof Map || (v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Map || x instanceof List))) {
                return false;
            }
        }
        return flow(m).length() <= 100;
    }

    static String flow(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(scalar(String.valueOf(e.getKey()))).append(": ").append(flow(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : l) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(flow(o));
            }
            return sb.append(']').toString();
        }
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            // 32.0, 1.0e-05, 2.0e+16: floats to YamlReader (which takes 3e6 for an integer below
            // 9e15) and to YAML 1.1 readers such as PyYAML (which take 1e-05 for text)
            return FloatText.yaml(d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return scalar(v.toString());
    }

    /** A string, plain when it reads back as the same string, else double-quoted. */
    static String scalar(String s) {
        boolean plain = !s.isEmpty() && s.equals(s.trim()) && s.matches("[A-Za-z0-9_./@+-][A-Za-z0-9 _./@+=:()-]*")
                && !s.contains(": ") && !s.endsWith(":") && s.equals(YamlReader.plainValue(s));
        if (plain) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        JsonWriter.quote(sb, s);
        return sb.toString();
    }
}
