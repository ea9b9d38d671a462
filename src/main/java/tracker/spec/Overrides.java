package tracker.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.TrackerException;
import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;

/**
 * {@code --set models.mlp.params.lr.max=0.1}: a quick variant without editing the file. The key
 * is a dotted path through the definition's mappings (a name that itself contains dots is matched
 * whole when the file has it); the value is YAML ({@code 20}, {@code [0.1, 0.01]},
 * {@code {distribution: uniform, min: 0, max: 1}}, or {@code ~} to remove the key). Overrides are
 * applied after includes and before {@code extends:}, in the order given, so overriding one field
 * of an inherited range merges as a file would. The value is then checked like the file's own;
 * a problem in it names the override and the place in the file it replaced.
 */
final class Overrides {
    private final List<Override> overrides;
    private final Problems problems;
    /**
     * The {@code ~} of each {@code KEY=~} that replaced a value the file wrote. A removal is laid on
     * what a model extends as the file's own {@code ~} would be; one still there afterwards removes
     * a key of the file itself - or, when the file never had the key, is a mistake worth saying.
     */
    private final Set<YNode> removals = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<YNode> replacingRemovals = Collections.newSetFromMap(new IdentityHashMap<>());

    Overrides(List<Override> overrides, Problems problems) {
        this.overrides = overrides;
        this.problems = problems;
    }

    /** One {@code KEY=VALUE}, split; a malformed one is a usage error before any file is read. */
    record Override(List<String> path, String value, String text) {
        static Override parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw TrackerException.usage("--set " + text + ": expected KEY=VALUE, e.g. --set search.trials=20",
                        "KEY is a dotted path through the definition, e.g. models.mlp.params.lr.max");
            }
            String key = text.substring(0, eq).trim();
            List<String> path = List.of(key.split("\\.", -1));
            if (path.stream().anyMatch(String::isEmpty)) {
                throw TrackerException.usage("--set " + text + ": the key '" + key + "' has an empty part",
                        "write the path with single dots, e.g. models.mlp.params.lr.max");
            }
            return new Override(path, text.substring(eq + 1), "--set " + text);
        }
    }

    YMap apply(YMap top) {
        YMap out = top;
        for (Override o : overrides) {
            YMap next = apply(out, o);
            if (next != null) {
                out = next;
            }
        }
        return out;
    }

    /** The definition with the removals that no inherited value took away applied; called after extends: is resolved. */
    YMap settleRemovals(YMap map) {
        if (removals.isEmpty()) {
            return map;
        }
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        boolean changed = false;
        for (YNode.Entry e : map.entries().values()) {
            if (removals.contains(e.value())) {
                changed = true;
                if (!replacingRemovals.contains(e.value())) {
                    problems.add(e.value(), "removes '" + e.key().text() + "', which the definition does not have");
                }
                continue;
            }
            YNode v = e.value() instanceof YMap m ? settleRemovals(m) : e.value();
            changed |= v != e.value();
            entries.put(e.key().text(), v == e.value() ? e : new YNode.Entry(e.key(), v));
        }
        return changed ? new YMap(entries, map.line(), map.column(), map.origin()) : map;
    }

    private YMap apply(YMap top, Override o) {
        // Read as YAML on its own, so '0.1' is a number, '[a, b]' a list and 'x: y' a mistake said here.
        Problems own = new Problems(o.text());
        YNode value = o.value().isBlank() ? null : YamlReader.read(o.value(), own);
        if (!own.isEmpty()) {
            for (String m : own.messages()) {
                problems.addLocated(m.replaceFirst("^" + java.util.regex.Pattern.quote(o.text()) + ":\\d+:\\d+: ", o.text() + ": "));
            }
            return null;
        }
        return set(top, o.path(), 0, value, o, "");
    }

    /** {@code map} with {@code path[i..]} set to {@code value}; null (with a problem) when the path runs into a non-mapping. */
    private YMap set(YMap map, List<String> path, int i, YNode value, Override o, String walked) {
        // The longest run of parts that names an existing key, so "cifar-10.v2" can be a dataset's name.
        int take = 1;
        for (int j = path.size(); j > i + 1; j--) {
            if (map.entries().containsKey(String.join(".", path.subList(i, j)))) {
                take = j - i;
                break;
            }
        }
        String key = String.join(".", path.subList(i, i + take));
        String here = walked.isEmpty() ? key : walked + "." + key;
        YNode.Entry entry = map.entries().get(key);
        Map<String, YNode.Entry> entries = new LinkedHashMap<>(map.entries());
        YNode.Origin origin = new YNode.Origin(map.origin().file(), o.text());
        if (i + take == path.size()) {
            // The new value stands where the old one was written (or where its mapping is), so an error in it points there.
            YNode at = entry != null ? entry.value() != null ? entry.value() : entry.key() : map;
            YNode.Origin valueOrigin = new YNode.Origin(at.origin().file(), o.text());
            YScalar k = entry != null ? entry.key() : new YScalar(key, key, map.line(), map.column(), origin);
            YNode v = value == null ? new YScalar(null, "~", at.line(), at.column(), valueOrigin) : relocate(value, at.line(), at.column(), valueOrigin);
            if (YMerge.removes(v)) {
                removals.add(v);
                if (entry != null && !YMerge.removes(entry.value())) {
                    replacingRemovals.add(v);
                }
            }
            entries.remove(key);
            entries.put(key, new YNode.Entry(k, v));
            return new YMap(entries, map.line(), map.column(), map.origin());
        }
        YMap inner;
        if (entry == null || YMerge.removes(entry.value())) {
            YNode at = entry != null ? entry.key() : map;
            inner = new YMap(new LinkedHashMap<>(), at.line(), at.column(), new YNode.Origin(at.origin().file(), o.text()));
        } else if (entry.value() instanceof YMap m) {
            inner = m;
        } else {
            problems.add(entry.value(), o.text() + ": " + here + " is " + Fields.article(entry.value().kind())
                    + " here, not a mapping, so it has no '" + path.get(i + take) + "'; set it whole: --set " + here + "=...");
            return null;
        }
        YMap changed = set(inner, path, i + take, value, o, here);
        if (changed == null) {
            return null;
        }
        YScalar k = entry != null ? entry.key() : new YScalar(key, key, map.line(), map.column(), origin);
        entries.put(key, new YNode.Entry(k, changed));
        return new YMap(entries, map.line(), map.column(), map.origin());
    }

    /** The value's nodes placed at the replaced value: their own lines and columns are those of the --set text. */
    private static YNode relocate(YNode node, int line, int column, YNode.Origin origin) {
        if (node instanceof YScalar s) {
            return new YScalar(s.value(), s.text(), line, column, origin);
        }
        if (node instanceof YList l) {
            List<YNode> items = new ArrayList<>();
            l.items().forEach(n -> items.add(relocate(n, line, column, origin)));
            return new YList(items, line, column, origin);
        }
        YMap m = (YMap) node;
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        m.entries().forEach((k, e) -> entries.put(k, new YNode.Entry((YScalar) relocate(e.key(), line, column, origin),
                relocate(e.value(), line, column, origin))));
        return new YMap(entries, line, column, origin);
    }
}
