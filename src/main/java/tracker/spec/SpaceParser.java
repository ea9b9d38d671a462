package tracker.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;

/**
 * A parameter's space as written: a constant ({@code epochs: 30}), a list of values
 * ({@code hidden: [32, 64]}), or {@code {distribution: KIND, ...}}.
 */
final class SpaceParser {
    static final List<String> KINDS = List.of("uniform", "log_uniform", "int_uniform", "q_uniform", "q_log_uniform",
            "normal", "log_normal", "categorical");
    private static final List<String> KEYS = List.of("distribution", "min", "max", "q", "mu", "sigma", "values", "points", "log",
            "value", "when");
    /** Keys every mapping form may have: {@code when} is read by {@link ConditionParser}, which needs the other params. */
    private static final List<String> ANY = List.of("when");
    /** Which keys each kind needs and which it may have. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "uniform", List.of("min", "max"), "log_uniform", List.of("min", "max"), "int_uniform", List.of("min", "max"),
            "q_uniform", List.of("min", "max", "q"), "q_log_uniform", List.of("min", "max", "q"),
            "normal", List.of("mu", "sigma"), "log_normal", List.of("mu", "sigma"), "categorical", List.of("values"));
    private static final Map<String, List<String>> OPTIONAL = Map.of(
            "uniform", List.of("points"), "log_uniform", List.of("points"), "int_uniform", List.of("log"));

    private final Fields f;

    SpaceParser(Fields fields) {
        this.f = fields;
    }

    Space parse(YNode node, String what) {
        if (node instanceof YScalar s) {
            if (s.value() == null) {
                f.problems().add(node, what + " has no value: write a constant, a list of values or {distribution: ...}");
                return null;
            }
            return new Space.Constant(s.value());
        }
        if (node instanceof YList list) {
            List<Object> values = values(list, what);
            return values == null ? null : new Space.Categorical(values);
        }
        YMap map = f.mapping(node, what, KEYS);
        if (map == null) {
            return null;
        }
        YNode kindNode = map.get("distribution");
        if (kindNode == null) {
            return withoutDistribution(map, what);
        }
        String kind = f.word(kindNode, what + ".distribution", KINDS);
        if (kind == null) {
            return null;
        }
        boolean ok = true;
        for (String key : REQUIRED.get(kind)) {
            if (map.get(key) == null) {
                f.problems().add(node, what + ": a " + kind + " distribution needs '" + key + "'");
                ok = false;
            }
        }
        for (YNode.Entry e : map.entries().values()) {
            String key = e.key().text();
            if (KEYS.contains(key) && !key.equals("distribution") && !ANY.contains(key) && !REQUIRED.get(kind).contains(key)
                    && !OPTIONAL.getOrDefault(kind, List.of()).contains(key)) {
                f.problems().add(e.key(), what + ": '" + key + "' does not apply to a " + kind + " distribution");
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        return switch (kind) {
            case "categorical" -> {
                YList list = f.list(map.get("values"), what + ".values");
                List<Object> values = list == null ? null : values(list, what + ".values");
                yield values == null ? null : new Space.Categorical(values);
            }
            case "int_uniform" -> {
                Long min = f.integer(map.get("min"), what + ".min");
                Long max = f.integer(map.get("max"), what + ".max");
                Boolean log = map.get("log") == null ? Boolean.FALSE : f.bool(map.get("log"), what + ".log");
                if (min == null || max == null || log == null || !ordered(map, what, min, max)) {
                    yield null;
                }
                if (log && min < 1) {
                    f.problems().add(map.get("min"), what + ".min must be at least 1 for an int_uniform with log: true, not "
                            + text(map.get("min")));
                    yield null;
                }
                yield new Space.IntUniform(min, max, log);
            }
            case "normal", "log_normal" -> {
                Double mu = f.number(map.get("mu"), what + ".mu");
                Double sigma = f.number(map.get("sigma"), what + ".sigma");
                if (mu == null || sigma == null) {
                    yield null;
                }
                if (sigma <= 0) {
                    f.problems().add(map.get("sigma"), what + ".sigma must be greater than 0, not " + text(map.get("sigma")));
                    yield null;
                }
                yield kind.equals("normal") ? new Space.Normal(mu, sigma) : new Space.LogNormal(mu, sigma);
            }
            default -> range(kind, map, what);
        };
    }

    /**
     * A mapping without {@code distribution}: {@code values: [...]} (categorical) or {@code value: X}
     * (a constant), the forms that can carry {@code when}, which a bare list or scalar cannot.
     */
    private Space withoutDistribution(YMap map, String what) {
        YNode values = map.get("values");
        YNode value = map.get("value");
        if (values == null && value == null && map.entries().containsKey("value")) {
            f.problems().add(map.entries().get("value").key(), what + ".value is empty: write the constant after 'value:'");
            return null;
        }
        if (values == null && value == null) {
            f.problems().add(map, what + " needs 'distribution: KIND' (one of " + String.join(", ", KINDS)
                    + "), 'values: [...]' or 'value: X'");
            return null;
        }
        if (values != null && value != null) {
            f.problems().add(map.entries().get("value").key(), what + " has both 'values' and 'value': a list of values or one constant, not both");
            return null;
        }
        boolean ok = true;
        for (YNode.Entry e : map.entries().values()) {
            String key = e.key().text();
            if (KEYS.contains(key) && !ANY.contains(key) && !key.equals("values") && !key.equals("value")) {
                f.problems().add(e.key(), what + ": '" + key + "' does not apply to " + (values != null ? "a list of values" : "a constant")
                        + " (it needs 'distribution: KIND')");
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        if (values != null) {
            YList list = f.list(values, what + ".values");
            List<Object> items = list == null ? null : values(list, what + ".values");
            return items == null ? null : new Space.Categorical(items);
        }
        if (!(value instanceof YScalar s)) {
            f.problems().add(value, what + ".value must be a number, text or true/false, not " + Fields.article(value.kind()));
            return null;
        }
        return new Space.Constant(s.value());
    }

    private Space range(String kind, YMap map, String what) {
        Double min = f.number(map.get("min"), what + ".min");
        Double max = f.number(map.get("max"), what + ".max");
        Double q = map.get("q") == null ? null : f.number(map.get("q"), what + ".q");
        Integer points = map.get("points") == null ? null : f.positive(map.get("points"), what + ".points");
        if (min == null || max == null || (map.get("q") != null && q == null) || (map.get("points") != null && points == null)) {
            return null;
        }
        boolean ok = ordered(map, what, min, max);
        if (kind.contains("log") && min <= 0) {
            f.problems().add(map.get("min"), what + ".min must be greater than 0 on a log scale, not " + text(map.get("min")));
            ok = false;
        }
        if (q != null && q <= 0) {
            f.problems().add(map.get("q"), what + ".q must be greater than 0, not " + text(map.get("q")));
            ok = false;
        }
        if (q != null && ok && q > max - min && min.doubleValue() != max.doubleValue()) { // boxed: != would compare objects
            f.problems().add(map.get("q"), what + ".q (" + text(map.get("q")) + ") is wider than the range " + min + ".." + max);
            ok = false;
        }
        if (q != null && ok && Math.max(Math.abs(min), Math.abs(max)) / q > GridValues.MAX_STEPS) {
            f.problems().add(map.get("q"), what + ".q (" + text(map.get("q")) + ") is too small for values as large as "
                    + Math.max(Math.abs(min), Math.abs(max)) + ": its multiples would not be exact (keep max / q below 1e15)");
            ok = false;
        }
        if (!ok) {
            return null;
        }
        return switch (kind) {
            case "uniform" -> new Space.Uniform(min, max, points);
            case "log_uniform" -> new Space.LogUniform(min, max, points);
            case "q_uniform" -> new Space.QUniform(min, max, q);
            default -> new Space.QLogUniform(min, max, q);
        };
    }

    private boolean ordered(YMap map, String what, double min, double max) {
        if (min > max) {
            f.problems().add(map.get("min"), what + ": min (" + text(map.get("min")) + ") is greater than max ("
                    + text(map.get("max")) + ")");
            return false;
        }
        return true;
    }

    private List<Object> values(YList list, String what) {
        if (list.items().isEmpty()) {
            f.problems().add(list, what + " is an empty list: give at least one value");
            return null;
        }
        List<Object> values = new ArrayList<>();
        for (YNode item : list.items()) {
            if (!(item instanceof YScalar s) || s.value() == null) {
                f.problems().add(item, what + ": each value must be a number, text or true/false, not " + Fields.article(item.kind()));
                return null;
            }
            if (values.contains(s.value())) {
                f.problems().add(item, what + ": the value " + s.text() + " is listed twice");
                return null;
            }
            values.add(s.value());
        }
        return values;
    }

    private static String text(YNode node) {
        return node instanceof YScalar s ? s.text() : node.kind();
    }
}
