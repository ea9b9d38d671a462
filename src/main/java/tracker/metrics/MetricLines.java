package tracker.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import tracker.TrackerException;
import tracker.json.Json;
import tracker.json.JsonException;
import tracker.spec.MetricNames;

/**
 * Metric lines as training scripts print them, in three forms:
 * <pre>
 * {"epoch": 3, "train": {"loss": 0.41}, "val": {"acc": 0.88}}     nested JSON
 * {"epoch": 3, "train.loss": 0.41, "val.acc": 0.88}                flat JSON
 * epoch=3 train.loss=0.41 val.acc=0.88                             plain words
 * </pre>
 * In JSON, values and the epoch are numbers: {@code "acc": "0.9"} is refused rather than read,
 * since a quoted number usually means the script formats its values by hand and may get other
 * ones wrong too. NaN, Infinity and -Infinity are kept, since a diverged run's loss is data:
 * bare (as Python's json.dumps writes them) or as the strings "nan", "inf", "-inf" (also
 * "infinity", any case). A number too large for a double ({@code 1e400}) is an error, not
 * infinity. A line that is none of these, or has a bad name or value, is rejected as a whole with
 * the reason.
 */
public final class MetricLines {
    /** The longest metric line read; a longer one is rejected (its text never held in memory whole). */
    public static final int MAX_LINE = 1 << 20;

    /** A number as the plain-words form takes it: what a float parser takes, without hex or suffixes. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Map<String, Double> NON_FINITE = Map.of(
            "nan", Double.NaN, "+nan", Double.NaN, "-nan", Double.NaN,
            "inf", Double.POSITIVE_INFINITY, "+inf", Double.POSITIVE_INFINITY, "infinity", Double.POSITIVE_INFINITY,
            "+infinity", Double.POSITIVE_INFINITY, "-inf", Double.NEGATIVE_INFINITY, "-infinity", Double.NEGATIVE_INFINITY);
    private static final double MAX_EPOCH = 1e9;

    private MetricLines() {
    }

    /** Thrown for a line that cannot be taken; the message says why (the caller adds the line number). */
    public static final class BadLine extends RuntimeException {
        public BadLine(String message) {
            super(message);
        }
    }

    /**
     * Whether the line is meant as a metric line - a JSON object or {@code epoch=...} - as opposed
     * to other output of a training script, which passes through untouched.
     */
    public static boolean looksLikeMetrics(String line) {
        String t = line.strip();
        return t.startsWith("{") || t.startsWith("epoch=");
    }

    /** The reason a line of more than {@link #MAX_LINE} characters is rejected. */
    public static String tooLong() {
        return "longer than " + MAX_LINE + " characters";
    }

    /** The values of a metric line; throws {@link BadLine} saying what is wrong, and nothing else. */
    public static EpochValues parse(String line) {
        return guarded(line, MetricLines::parseUnguarded);
    }

    /**
     * Applies a line parser so that whatever a pathological line provokes comes out as a
     * {@link BadLine}: a reader thread that let anything else escape would stop reading, and the
     * trainer writing to it would block on a full pipe for ever.
     */
    public static <T> T guarded(String line, Function<String, T> parser) {
        try {
            return parser.apply(line);
        } catch (BadLine e) {
            throw e;
        } catch (StackOverflowError e) {
            throw new BadLine("too deeply nested to read");
        } catch (RuntimeException e) {
            throw new BadLine("cannot be read (" + e + ")");
        }
    }

    private static EpochValues parseUnguarded(String line) {
        String t = line.strip();
        if (t.startsWith("{")) {
            return of(json(t));
        }
        if (t.startsWith("epoch=")) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String word : t.split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq <= 0) {
                    throw new BadLine("'" + abbreviate(word) + "' is not NAME=VALUE");
                }
                String name = word.substring(0, eq);
                m.put(name, plainNumber(word.substring(eq + 1), name));
            }
            return of(m);
        }
        throw new BadLine("not a metric line: expected JSON with an \"epoch\" key or 'epoch=N phase.metric=value ...'");
    }

    /** A JSON metric line as a map; a syntax error is a {@link BadLine}. */
    public static Map<String, Object> json(String line) {
        try {
            return Json.parseObject(line);
        } catch (JsonException e) {
            throw new BadLine("not valid JSON: " + e.getMessage());
        }
    }

    /** The values of a parsed JSON metric line (or of plain words, their values already numbers). */
    public static EpochValues of(Map<String, Object> m) {
        long epoch = epoch(m.get("epoch"));
        Map<String, Map<String, Double>> phases = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : m.entrySet()) {
            String key = entry.getKey();
            if (key.equals("epoch")) {
                continue;
            }
            Object v = entry.getValue();
            if (v instanceof Map<?, ?> nested) {
                checkName(key, "phase");
                for (Map.Entry<?, ?> ne : nested.entrySet()) {
                    String metric = String.valueOf(ne.getKey());
                    checkName(metric, "metric");
                    phases.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(metric, value(ne.getValue(), key + "." + metric));
                }
            } else {
                int dot = key.indexOf('.');
                if (dot <= 0) {
                    throw new BadLine("'" + abbreviate(key) + "' is not phase.metric (e.g. val.acc)");
                }
                String phase = key.substring(0, dot);
                String metric = key.substring(dot + 1);
                checkName(phase, "phase");
                checkName(metric, "metric");
                phases.computeIfAbsent(phase, k -> new LinkedHashMap<>()).put(metric, value(v, key));
            }
        }
        if (phases.isEmpty()) {
            throw new BadLine("no metric values besides the epoch");
        }
        return new EpochValues(epoch, phases);
    }

    static long epoch(Object e) {
        if (e == null) {
            throw new BadLine("no \"epoch\"");
        }
        if (!(e instanceof Number n)) {
            throw new BadLine("epoch must be a whole number, not " + describe(e) + quotesHint(e));
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < 0 || d > MAX_EPOCH) {
            throw new BadLine("epoch must be a whole number from 0 to " + (long) MAX_EPOCH + ", not " + e);
        }
        return (long) d;
    }

    /** The same check for names given as options: a usage error. */
    public static void checkNameOrUsage(String name, String what) {
        if (!MetricNames.valid(name)) {
            throw TrackerException.usage("'" + name + "' is not a valid " + what + " name", MetricNames.RULE);
        }
    }

    public static void checkName(String name, String what) {
        if (!MetricNames.valid(name)) {
            throw new BadLine("'" + abbreviate(name) + "' is not a valid " + what + " name: " + MetricNames.RULE);
        }
    }

    /** A metric value from JSON: a number, or NaN / Infinity / -Infinity as a string in their usual spellings. */
    public static double value(Object v, String what) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            Double nonFinite = NON_FINITE.get(s.strip().toLowerCase());
            if (nonFinite != null) {
                return nonFinite;
            }
        }
        throw new BadLine(what + " must be a number, not " + describe(v) + quotesHint(v));
    }

    /** A value of the plain-words form: a decimal number, or nan / inf / -inf. */
    static Object plainNumber(String text, String what) {
        Double nonFinite = NON_FINITE.get(text.toLowerCase());
        if (nonFinite != null) {
            return nonFinite;
        }
        if (!PLAIN_NUMBER.matcher(text).matches()) {
            throw new BadLine(what + "=" + abbreviate(text) + " is not a number");
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw new BadLine(what + "=" + abbreviate(text) + " is too large for a number (write inf if it is infinite)");
        }
        return d;
    }

    /** What a JSON value is, shortly: a line may be a megabyte, its message should not. */
    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the string \"" + abbreviate(s) + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(v);
    }

    private static String quotesHint(Object v) {
        return v instanceof String s && PLAIN_NUMBER.matcher(s.strip()).matches() ? " (write the number without quotes)" : "";
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
