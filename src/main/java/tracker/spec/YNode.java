package tracker.spec;

import java.util.List;
import java.util.Map;

/**
 * A YAML node with its place in the file. Scalars are typed by tracker's own rules rather than
 * YAML 1.1's: {@code 1e-1} and {@code 3e6} are numbers (YAML 1.1 would read them as strings),
 * {@code yes}/{@code no}/{@code on}/{@code off} stay strings, and a quoted scalar is always a string.
 */
public sealed interface YNode {
    int line();

    int column();

    /** The file this node was written in, and the {@code --set} that replaced it, if one did. */
    Origin origin();

    /** "line:column", 1-based, for messages. */
    default String at() {
        return line() + ":" + column();
    }

    /** "file:line:column" (and the --set that wrote it): where a message about this node points. */
    default String where() {
        return origin().file() + ":" + at() + (origin().override() != null ? " (" + origin().override() + ")" : "");
    }

    /**
     * Where a node comes from: definitions may include other files, and {@code --set} may replace
     * a value, so a node's line and column alone do not say where to look.
     *
     * @param file     the file it was read from, as the user named it (relative paths stay relative)
     * @param override the {@code --set KEY=VALUE} that wrote it, or null; its line and column are
     *                 then those of the value it replaced (or of the mapping it was added to)
     */
    record Origin(String file, String override) {
        public Origin(String file) {
            this(file, null);
        }
    }

    /** What kind of value this is, for "must be a X, not a Y" messages. */
    String kind();

    record YScalar(Object value, String text, int line, int column, Origin origin) implements YNode {
        @Override
        public String kind() {
            if (value == null) {
                return "empty value";
            }
            if (value instanceof String) {
                return "string";
            }
            if (value instanceof Boolean) {
                return "boolean";
            }
            return value instanceof Long ? "integer" : "number";
        }
    }

    record YList(List<YNode> items, int line, int column, Origin origin) implements YNode {
        @Override
        public String kind() {
            return "list";
        }
    }

    /** Keys keep their own nodes so that an unknown key is reported where it is written. */
    record YMap(Map<String, Entry> entries, int line, int column, Origin origin) implements YNode {
        @Override
        public String kind() {
            return "mapping";
        }

        /** The value of a key; an empty value ({@code key:} or {@code key: null}) counts as not given. */
        public YNode get(String key) {
            Entry e = entries.get(key);
            if (e == null || (e.value() instanceof YScalar s && s.value() == null)) {
                return null;
            }
            return e.value();
        }
    }

    record Entry(YScalar key, YNode value) {
    }
}
