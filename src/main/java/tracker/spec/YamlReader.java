package tracker.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

import org.yaml.snakeyaml.DumperOptions;

/** YAML text to {@link YNode}s, collecting problems (with line and column) instead of stopping at the first. */
final class YamlReader {
    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern EXP_INT = Pattern.compile("[-+]?[0-9]+[eE]\\+?[0-9]+");

    private YamlReader() {
    }

    /** Parses the text; syntax errors and duplicate keys are added to {@code problems}. Returns null when unreadable. */
    static YNode read(String text, Problems problems) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below with their position
            options.setMaxAliasesForCollections(50);
            root = new Yaml(new SafeConstructor(options)).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
            return null;
        } catch (RuntimeException e) {
            problems.add(1, 1, "not valid YAML: " + e.getMessage());
            return null;
        }
        return root == null ? null : convert(root, problems);
    }

    private static YNode convert(Node node, Problems problems) {
        int line = node.getStartMark().getLine() + 1;
        int column = node.getStartMark().getColumn() + 1;
        if (node instanceof ScalarNode s) {
            return scalar(s, line, column);
        }
        if (node instanceof SequenceNode seq) {
            List<YNode> items = new ArrayList<>();
            for (Node n : seq.getValue()) {
                items.add(convert(n, problems));
            }
            return new YNode.YList(items, line, column);
        }
        MappingNode map = (MappingNode) node;
        Map<String, YNode.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                Mark m = t.getKeyNode().getStartMark();
                problems.add(m.getLine() + 1, m.getColumn() + 1, "a key must be a plain name, not a " +
                        (t.getKeyNode() instanceof SequenceNode ? "list" : "mapping"));
                continue;
            }
            YNode.YScalar key = scalar(k, k.getStartMark().getLine() + 1, k.getStartMark().getColumn() + 1);
            String name = k.getValue();
            if (entries.containsKey(name)) {
                problems.add(key.line(), key.column(), "duplicate key '" + name + "' (first at "
                        + entries.get(name).key().at() + ")");
                continue;
            }
            entries.put(name, new YNode.Entry(key, convert(t.getValueNode(), problems)));
        }
        return new YNode.YMap(entries, line, column);
    }

    private static YNode.YScalar scalar(ScalarNode s, int line, int column) {
        String text = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return new YNode.YScalar(text, text, line, column);
        }
        return new YNode.YScalar(plainValue(text), text, line, column);
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
