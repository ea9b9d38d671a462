package tracker.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;
import tracker.util.Durations;
import tracker.util.Suggestions;

/**
 * Typed reads of YAML nodes that record a located problem and return null instead of throwing,
 * so one pass over a definition reports all of its mistakes.
 */
final class Fields {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    static final Pattern PARAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Problems problems;

    Fields(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** The node as a mapping whose keys are all in {@code allowed}; unknown keys are reported with a near miss. */
    YMap mapping(YNode node, String what, Collection<String> allowed) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof YMap map)) {
            problems.add(node, what + " must be a mapping (key: value lines), not " + article(node.kind()));
            return null;
        }
        if (allowed != null) {
            for (YNode.Entry e : map.entries().values()) {
                String key = e.key().text();
                if (!allowed.contains(key)) {
                    String near = Suggestions.closest(key, allowed);
                    problems.add(e.key(), "unknown key '" + key + "' in " + what
                            + (near != null ? " (did you mean '" + near + "'?)" : "; known keys: " + String.join(", ", allowed)));
                }
            }
        }
        return map;
    }

    YList list(YNode node, String what) {
        if (node == null) {
            return null;
        }
        if (node instanceof YList l) {
            return l;
        }
        problems.add(node, what + " must be a list, not " + article(node.kind()));
        return null;
    }

    /** A list of names, or a single name standing for a list of one. */
    List<YScalar> names(YNode node, String what) {
        List<YScalar> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        List<YNode> items = node instanceof YList l ? l.items() : List.of(node);
        for (YNode item : items) {
            String n = name(item, what);
            if (n != null) {
                out.add((YScalar) item);
            }
        }
        return out;
    }

    String string(YNode node, String what) {
        if (node == null) {
            return null;
        }
        if (node instanceof YScalar s && s.value() != null) {
            return s.text();
        }
        problems.add(node, what + " must be text, not " + article(node.kind()));
        return null;
    }

    String name(YNode node, String what) {
        String s = string(node, what);
        if (s != null && !NAME.matcher(s).matches()) {
            problems.add(node, what + " '" + s + "' is not a valid name: use letters, digits, '_', '-', '.' "
                    + "(starting with a letter or digit, at most 100 characters)");
            return null;
        }
        return s;
    }

    /** One of the given words (with a near-miss suggestion). */
    String word(YNode node, String what, List<String> words) {
        String s = string(node, what);
        if (s != null && !words.contains(s)) {
            String near = Suggestions.closest(s, words);
            problems.add(node, what + " must be one of " + String.join(", ", words) + ", not '" + s + "'"
                    + (near != null ? " (did you mean '" + near + "'?)" : ""));
            return null;
        }
        return s;
    }

    Double number(YNode node, String what) {
        if (node == null) {
            return null;
        }
        if (node instanceof YScalar s && s.value() instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                problems.add(node, what + " must be a finite number, not " + s.text());
                return null;
            }
            return d;
        }
        problems.add(node, what + " must be a number, not " + article(node.kind()) + describe(node));
        return null;
    }

    /** true or false. */
    Boolean bool(YNode node, String what) {
        if (node instanceof YScalar s && s.value() instanceof Boolean b) {
            return b;
        }
        problems.add(node, what + " must be true or false, not " + article(node.kind()) + describe(node));
        return null;
    }

    /** An integer; 3.0 and 3e6 are accepted, 2.5 is not. */
    Long integer(YNode node, String what) {
        if (node == null) {
            return null;
        }
        if (node instanceof YScalar s && s.value() instanceof Number n) {
            double d = n.doubleValue();
            if (n instanceof Long l) {
                return l;
            }
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
            problems.add(node, d == Math.rint(d) || Double.isInfinite(d) ? what + (d > 0 ? " is too large: " : " is too small: ") + s.text()
                    : what + " must be a whole number, not " + s.text());
            return null;
        }
        problems.add(node, what + " must be a whole number, not " + article(node.kind()) + describe(node));
        return null;
    }

    Integer positive(YNode node, String what) {
        return between(node, what, 1, Integer.MAX_VALUE);
    }

    /** A whole number in [min, max]: "must be at least" below, "is too large" above. */
    Integer between(YNode node, String what, int min, int max) {
        Long v = integer(node, what);
        if (v == null) {
            return null;
        }
        if (v < min) {
            problems.add(node, what + " must be at least " + min + ", not " + v);
            return null;
        }
        if (v > max) {
            problems.add(node, what + " is too large: " + v + " (at most " + max + ")");
            return null;
        }
        return v.intValue();
    }

    Duration duration(YNode node, String what) {
        String s = node instanceof YScalar sc && sc.value() instanceof Number n ? n.toString() : string(node, what);
        if (s == null) {
            return null;
        }
        Duration d = Durations.parseOrNull(s);
        if (d == null || d.isZero()) {
            problems.add(node, what + " must be a duration such as 90s, 10m or 2h, not '" + s + "'");
            return null;
        }
        return d;
    }

    /** "a list", "an integer", "an empty value". */
    static String article(String kind) {
        return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    private static String describe(YNode node) {
        return node instanceof YScalar s && s.value() != null ? " ('" + s.text() + "')" : "";
    }
}
