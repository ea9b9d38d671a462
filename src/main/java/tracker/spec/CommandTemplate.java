package tracker.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The training command of a definition, e.g.
 * {@code java Train.java --model {model} --dataset {dataset.path} {args}}. Placeholders are
 * {@code {NAME}}, {@code {param.NAME}} and {@code {dataset.ATTRIBUTE}}; {@code {{} and {@code }}}
 * stand for literal braces.
 */
public final class CommandTemplate {
    /** The placeholders every run can fill. */
    public static final List<String> NAMES = List.of("experiment", "model", "dataset", "run", "seed", "trial",
            "replicate", "attempt", "args", "checkpoint");

    /** A piece of the template: literal text, or a placeholder name. */
    public record Part(String text, boolean placeholder, int offset) {
    }

    private CommandTemplate() {
    }

    /** Splits the template; a syntax error is an IllegalArgumentException whose message says where. */
    public static List<Part> parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'{' at character " + (i + 1) + " is never closed (write {{ for a literal brace)");
                }
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), false, i));
                    literal.setLength(0);
                }
                parts.add(new Part(template.substring(i + 1, end).trim(), true, i));
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("'}' at character " + (i + 1) + " has no opening brace (write }} for a literal brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), false, template.length()));
        }
        return parts;
    }

    /** Fills the placeholders; {@code values} answers for a name such as "model" or "param.lr". */
    public static String fill(List<Part> parts, Function<String, String> values) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            sb.append(p.placeholder() ? values.apply(p.text()) : p.text());
        }
        return sb.toString();
    }

    /**
     * Why a placeholder cannot be filled for this model, or null when it can.
     *
     * @param datasets the datasets the model runs on, with their attributes
     */
    public static String problem(String name, Definition.Model model, Map<String, Definition.Dataset> datasets) {
        if (NAMES.contains(name)) {
            return null;
        }
        if (name.startsWith("param.")) {
            String p = name.substring("param.".length());
            if (!model.params().containsKey(p)) {
                return "{" + name + "}: model '" + model.name() + "' has no parameter '" + p + "'";
            }
            // An inactive parameter is absent from its run: {param.NAME} would become an empty word
            // that the training script would read as a value. {args} leaves it out whole.
            return model.conditional(p) ? "{" + name + "}: parameter '" + p + "' of model '" + model.name()
                    + "' is conditional (when:) and absent from the runs where it is inactive; pass it with {args}, which leaves it out"
                    + " of those runs" : null;
        }
        if (name.startsWith("dataset.")) {
            String a = name.substring("dataset.".length());
            for (String d : model.datasets()) {
                Definition.Dataset ds = datasets.get(d);
                if (ds != null && !ds.attributes().containsKey(a)) {
                    return "{" + name + "}: dataset '" + d + "' (of model '" + model.name() + "') has no attribute '" + a + "'";
                }
            }
            return null;
        }
        String near = tracker.util.Suggestions.closest(name, NAMES);
        return "unknown placeholder {" + name + "}" + (near != null ? " (did you mean {" + near + "}?)" : "")
                + "; known: " + String.join(", ", NAMES.stream().map(n -> "{" + n + "}").toList())
                + ", {param.NAME}, {dataset.ATTRIBUTE}";
    }
}
