package tracker.spec;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.DumperOptions;

/**
 * YAML text to {@link YNode}s, collecting problems (with line and column) instead of stopping at the first.
 *
 * <p>Hostile YAML is refused before it costs anything: nesting deeper than {@link #MAX_NESTING},
 * text longer than {@link #MAX_CODE_POINTS}, more than {@link #MAX_COLLECTION_ALIASES} aliases of
 * collections, a collection that contains itself through an alias ({@code x: &x {y: *x}}), and
 * aliases that copy more than {@link #MAX_ALIAS_VALUES} values or {@link #MAX_ALIAS_CHARACTERS}
 * characters of text (a "billion laughs": each alias is a copy of what its anchor names once
 * converted, and aliases of aliases multiply). Only copies count: a file without aliases, such as
 * a stored canonical form however large its plan, is bounded by its own length alone.
 */
final class YamlReader {
    static final int MAX_NESTING = 50;
    /** More than any file DefinitionFile reads: a stored canonical form, which spells out every default, is parsed too. */
    static final int MAX_CODE_POINTS = 16 << 20;
    static final int MAX_COLLECTION_ALIASES = 50;
    /** Sharing a parameter space among a few dozen models copies a few thousand values. */
    static final int MAX_ALIAS_VALUES = 100_000;
    static final long MAX_ALIAS_CHARACTERS = DefinitionFile.MAX_BYTES;

    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern EXP_INT = Pattern.compile("[-+]?[0-9]+[eE]\\+?[0-9]+");

    private final Problems problems;
    private final YNode.Origin origin;
    /** The collections being converted, from the root down: meeting one again is a cycle. */
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Every node converted so far: meeting one again is a copy made by an alias. */
    private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private long copiedValues;
    private long copiedCharacters;

    private YamlReader(Problems problems, YNode.Origin origin) {
        this.problems = problems;
        this.origin = origin;
    }

    /** Stops the conversion at the first structural refusal, which makes everything after it moot. */
    private static final class Refused extends RuntimeException {
        final int line;
        final int column;

        Refused(Node at, String message) {
            super(message, null, false, false);
            this.line = at.getStartMark().getLine() + 1;
            this.column = at.getStartMark().getColumn() + 1;
        }
    }

    /** Parses the text; syntax errors and duplicate keys are added to {@code problems}. Returns null when unreadable. */
    static YNode read(String text, Problems problems) {
        return read(text, problems.file(), problems);
    }

    /** Parses the text of {@code file} (the main definition or one it includes); its nodes remember the file. */
    static YNode read(String text, String file, Problems problems) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below with their position
            options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
            options.setAllowRecursiveKeys(false);
            options.setNestingDepthLimit(MAX_NESTING);
            options.setCodePointLimit(MAX_CODE_POINTS);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
            return null;
        } catch (RuntimeException e) {
            problems.add(file, 1, 1, "not valid YAML: " + e.getMessage());
            return null;
        }
        if (root == null) {
            return null;
        }
        try {
            return new YamlReader(problems, new YNode.Origin(file)).convert(root);
        } catch (Refused e) {
            problems.add(file, e.line, e.column, e.getMessage());
            return null;
        }
    }

    private YNode convert(Node node) {
        int line = node.getStartMark().getLine() + 1;
        int column = node.getStartMark().getColumn() + 1;
        if (node instanceof ScalarNode s) {
            count(s);
            return scalar(s, line, column, origin);
        }
        count(node);
        if (!open.add(node)) {
            throw new Refused(node, "this " + (node instanceof SequenceNode ? "list" : "mapping")
                    + " contains itself through an alias: a definition cannot be recursive");
        }
        try {
            return node instanceof SequenceNode seq ? list(seq, line, column) : map((MappingNode) node, line, column);
        } finally {
            open.remove(node);
        }
    }

    /** Counts a node met again, i.e. copied by an alias, against the budget of copies. */
    private void count(Node node) {
        if (seen.add(node)) {
            return;
        }
        copiedValues++;
        copiedCharacters += node instanceof ScalarNode s ? s.getValue().length() : 0;
        if (copiedValues > MAX_ALIAS_VALUES || copiedCharacters > MAX_ALIAS_CHARACTERS) {
            throw new Refused(node, "aliases copy too much: more than " + (copiedValues > MAX_ALIAS_VALUES
                    ? MAX_ALIAS_VALUES + " values" : MAX_ALIAS_CHARACTERS + " characters")
                    + " (each *alias is a copy of what its &anchor names, and aliases of aliases multiply)");
        }
    }

    private YNode list(SequenceNode seq, int line, int column) {
        List<YNode> items = new ArrayList<>();
        for (Node n : seq.getValue()) {
            items.add(convert(n));
        }
        return new YNode.YList(items, line, column, origin);
    }

    /**
     * A mapping, with YAML merge keys resolved: {@code <<: *base} (or {@code <<: [*a, *b]}) adds
     * the entries of the named mappings that the mapping does not set itself; of several, the
     * first that has a key gives it. Merged entries keep their own file positions, so an error in
     * one names the line it was written on.
     */
    private YNode map(MappingNode map, int line, int column) {
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        List<NodeTuple> merges = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                Mark m = t.getKeyNode().getStartMark();
                problems.add(origin.file(), m.getLine() + 1, m.getColumn() + 1, "a key must be a plain name, not a " +
                        (t.getKeyNode() instanceof SequenceNode ? "list" : "mapping"));
                continue;
            }
            if (Tag.MERGE.equals(k.getTag())) {
                merges.add(t);
                continue;
            }
            count(k);
            YNode.YScalar key = scalar(k, k.getStartMark().getLine() + 1, k.getStartMark().getColumn() + 1, origin);
            String name = k.getValue();
            if (entries.containsKey(name)) {
                problems.add(key, "duplicate key '" + name + "' (first at "
                        + entries.get(name).key().at() + ")");
                continue;
            }
            entries.put(name, new YNode.Entry(key, convert(t.getValueNode())));
        }
        if (merges.size() > 1) {
            Mark m = merges.get(1).getKeyNode().getStartMark();
            problems.add(origin.file(), m.getLine() + 1, m.getColumn() + 1, "duplicate key '<<': merge several mappings with one list, <<: [*a, *b]");
        }
        if (!merges.isEmpty()) {
            Node value = merges.get(0).getValueNode();
            YNode merged = convert(value);
            List<YNode> sources = merged instanceof YNode.YList l ? l.items() : List.of(merged);
            for (YNode source : sources) {
                if (!(source instanceof YNode.YMap m)) {
                    problems.add(source, "<< merges mappings (an alias such as *base, or a list of them), not "
                            + Fields.article(source.kind()));
                    continue;
                }
                m.entries().forEach(entries::putIfAbsent);
            }
        }
        return new YNode.YMap(entries, line, column, origin);
    }

    private static YNode.YScalar scalar(ScalarNode s, int line, int column, YNode.Origin origin) {
        String text = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return new YNode.YScalar(text, text, line, column, origin);
        }
        return new YNode.YScalar(plainValue(text), text, line, column, origin);
    }

    /** The value of an unquoted scalar. */
    static Object plainValue(String text) {
        String t = text.trim();
        switch (t) {
            case "", "~", "null", "Null", "NULL":
                return null;
            case "true", "True", "TRUE":
                return Boolean.TRUE;
            case "false", "False", "FALSE":
                return Boolean.FALSE;
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
                return Double.POSITIVE_INFINITY;
            case "-.inf", "-.Inf", "-.INF":
                return Double.NEGATIVE_INFINITY;
            case ".nan", ".NaN", ".NAN":
                return Double.NaN;
            default:
                break;
        }
        if (INT.matcher(t).matches()) {
            try {
                return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            } catch (NumberFormatException e) {
                return Double.parseDouble(t);
            }
        }
        if (FLOAT.matcher(t).matches()) {
            double d = Double.parseDouble(t);
            // 3e6 is the integer 3000000 written short; 3.0e6 and 1e-1 are floats.
            if (EXP_INT.matcher(t).matches() && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
            return d;
        }
        return text;
    }
}
