package tracker.json;

import java.util.Collection;
import java.util.Map;

import tracker.util.FloatText;

/**
 * Writes maps, lists, strings, numbers, booleans and null as JSON. Non-finite doubles are written
 * as the bare words NaN, Infinity and -Infinity (what Python and pandas read back), so that a
 * diverged metric keeps its value in -o json output instead of turning into null. Finite doubles
 * are written as {@link FloatText} writes them ({@code 1.55e-05}, {@code 32.0}).
 */
public final class JsonWriter {
    private JsonWriter() {
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0, false);
        return sb.toString();
    }

    /** Indented with two spaces, for humans reading -o json on a terminal. */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 2, 0, false);
        return sb.toString();
    }

    /**
     * The compact form with doubles as Java's {@link Double#toString} writes them ({@code 1.0E-5}),
     * whole ones below 1e15 as {@code 32.0}: what definition hashes have been computed from since
     * the first release. Frozen: writing those numbers any other way would change the hash of every
     * stored experiment, and {@code create} would call the same file a different definition.
     */
    public static String writeForHash(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0, true);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int indent, int depth, boolean javaDoubles) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Double d) {
            number(sb, d, javaDoubles);
        } else if (value instanceof Float f) {
            number(sb, f.doubleValue(), javaDoubles);
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(indent >= 0 ? ": " : ":");
                write(sb, e.getValue(), indent, depth + 1, javaDoubles);
            }
            if (!map.isEmpty()) {
                newline(sb, indent, depth);
            }
            sb.append('}');
        } else if (value instanceof Collection<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                write(sb, o, indent, depth + 1, javaDoubles);
            }
            if (!list.isEmpty()) {
                newline(sb, indent, depth);
            }
            sb.append(']');
        } else {
            quote(sb, value.toString());
        }
    }

    private static void number(StringBuilder sb, double d, boolean javaDoubles) {
        if (Double.isNaN(d)) {
            sb.append("NaN");
        } else if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "Infinity" : "-Infinity");
        } else if (!javaDoubles) {
            sb.append(FloatText.of(d));
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d).append(".0");
        } else {
            sb.append(d);
        }
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append(" ".repeat(indent * depth));
        }
    }

    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
