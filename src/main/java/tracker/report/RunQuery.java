package tracker.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tracker.util.Suggestions;

/**
 * The runs view's {@code --where} conditions (ANDed) and {@code --sort} order. A condition is
 * {@code FIELD OP VALUE}: numbers compare as numbers with {@code = != < <= > >=}; anything else
 * compares as text with {@code =} and {@code !=}. A run without the field matches only {@code !=}.
 * Mistakes are reported as {@link IllegalArgumentException}s whose message says what is wrong,
 * with "did you mean" and the known fields.
 */
public final class RunQuery {
    private static final Pattern CONDITION = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*(<=|>=|!=|==|=|<|>)\\s*(.*?)\\s*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(inf|Infinity)|NaN");

    /** What the experiment has: the values a condition on these fields may name, and its parameters. */
    public record Vocabulary(Collection<String> models, Collection<String> datasets, Collection<String> statuses,
                             Collection<String> params) {
        List<String> fields() {
            List<String> all = new ArrayList<>(RunRow.FIELDS);
            params.forEach(p -> all.add("params." + p));
            return all;
        }
    }

    private RunQuery() {
    }

    /** All conditions ANDed; none matches everything. */
    public static Predicate<RunRow> where(List<String> conditions, Vocabulary vocabulary) {
        Predicate<RunRow> all = r -> true;
        for (String c : conditions) {
            all = all.and(condition(c, vocabulary));
        }
        return all;
    }

    static Predicate<RunRow> condition(String text, Vocabulary v) {
        Matcher m = CONDITION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--where '" + text + "': expected FIELD OP VALUE with OP one of = != < <= > >=, "
                    + "e.g. params.lr<0.01; fields: " + String.join(", ", v.fields()));
        }
        String field = field(m.group(1), v, "--where '" + text + "'");
        String op = m.group(2).equals("==") ? "=" : m.group(2);
        String value = m.group(3);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("--where '" + text + "': no value after '" + op + "'");
        }
        boolean numeric = NUMBER.matcher(value).matches();
        boolean ordering = !op.equals("=") && !op.equals("!=");
        if (ordering && RunRow.TEXT.contains(field)) {
            throw new IllegalArgumentException("--where '" + text + "': " + field + " is text; it takes = or !=, not " + op);
        }
        if (ordering && !numeric) {
            throw new IllegalArgumentException("--where '" + text + "': " + op + " compares numbers and '" + value + "' is not one");
        }
        switch (field) {
            case "model" -> known(text, "model", value, v.models());
            case "dataset" -> known(text, "dataset", value, v.datasets());
            case "status" -> known(text, "status", value, v.statuses());
            default -> { }
        }
        double number = numeric ? parse(value) : Double.NaN;
        return r -> {
            Object actual = r.get(field);
            if (actual == null) {
                return op.equals("!=");
            }
            int cmp;
            if (numeric && actual instanceof Number n) {
                cmp = Double.compare(n.doubleValue(), number);
                if (n.doubleValue() == number) {
                    cmp = 0; // 0.0 and -0.0
                }
            } else if (ordering) {
                return false; // a text value never compares as a number
            } else {
                cmp = String.valueOf(actual).equals(value) ? 0 : 1;
            }
            return switch (op) {
                case "=" -> cmp == 0;
                case "!=" -> cmp != 0;
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                default -> cmp >= 0;
            };
        };
    }

    private static double parse(String value) {
        String s = value.replace("Infinity", "inf");
        if (s.endsWith("inf")) {
            return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }

    private static void known(String text, String what, String value, Collection<String> values) {
        if (!values.contains(value)) {
            String close = Suggestions.closest(value, values);
            throw new IllegalArgumentException("--where '" + text + "': no " + what + " '" + value + "' in this experiment"
                    + (close == null ? "" : "; did you mean '" + close + "'?") + " (" + (what.endsWith("s") ? what + "es" : what + "s") + ": " + String.join(", ", values) + ")");
        }
    }

    /** A known field name, or an exception naming the closest one and all of them. */
    static String field(String name, Vocabulary v, String where) {
        List<String> fields = v.fields();
        if (fields.contains(name)) {
            return name;
        }
        if (v.params().contains(name)) {
            throw new IllegalArgumentException(where + ": unknown field '" + name + "'; did you mean 'params." + name + "'?");
        }
        String close = Suggestions.closest(name, fields);
        throw new IllegalArgumentException(where + ": unknown field '" + name + "'" + (close == null ? "" : "; did you mean '" + close
                + "'?") + " (fields: " + String.join(", ", fields) + ")");
    }

    /**
     * The order of {@code --sort FIELD} ({@code -FIELD}: descending): numbers by value, text
     * alphabetically, runs without a value (or NaN) last either way; ties keep the runs' order.
     */
    public static Comparator<RunRow> sort(String spec, Vocabulary v) {
        boolean descending = spec.startsWith("-");
        String field = field(descending ? spec.substring(1) : spec, v, "--sort '" + spec + "'");
        return (a, b) -> {
            Object x = a.get(field);
            Object y = b.get(field);
            boolean xNone = x == null || x instanceof Double d && d.isNaN();
            boolean yNone = y == null || y instanceof Double d && d.isNaN();
            if (xNone || yNone) {
                return Boolean.compare(xNone, yNone);
            }
            int cmp = x instanceof Number n && y instanceof Number m ? Double.compare(n.doubleValue(), m.doubleValue())
                    : String.valueOf(x).compareTo(String.valueOf(y));
            return descending ? -cmp : cmp;
        };
    }

    /**
     * The value that the conditions require of a field by equality ({@code model=mlp}), or null:
     * lets the caller read only the cells that can match.
     */
    public static String pinned(List<String> conditions, String field) {
        for (String c : conditions) {
            Matcher m = CONDITION.matcher(c);
            if (m.matches() && m.group(1).equals(field) && (m.group(2).equals("=") || m.group(2).equals("=="))) {
                return m.group(3);
            }
        }
        return null;
    }
}
