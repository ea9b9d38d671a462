package tracker.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import tracker.TrackerException;
import tracker.json.Json;
import tracker.json.JsonException;
import tracker.spec.MetricNames;

/**
 * The one parser of the lines a trainer prints for tracker - read by {@code tracker log --stdin}
 * and {@code tracker run} alike; docs/trainer-protocol.md is the user's description of it:
 * <pre>
 * {"epoch": 3, "train": {"loss": 0.41}, "val": {"acc": 0.88}}     nested JSON
 * {"epoch": 3, "train.loss": 0.41, "val.acc": 0.88}                flat JSON
 * epoch=3 train.loss=0.41 val.acc=0.88                             plain words
 * {"step": 1500, "epoch": 2, "progress": 0.3, "train.loss": 2.1}   a step (within or instead of an epoch)
 * {"checkpoint": "s3://b/ck", "artifacts": {"model": "URI"}, "note": "text"}
 * </pre>
 * The keys {@code epoch}, {@code step}, {@code progress}, {@code checkpoint}, {@code artifacts}
 * and {@code note} mean themselves; every other key is a phase (an object of metrics) or
 * {@code phase.metric}. A line may carry any of these together (metric values and a checkpoint
 * are both kept). In JSON, values, the epoch, the step and the progress are numbers:
 * {@code "acc": "0.9"} is refused rather than read, since a quoted number usually means the script
 * formats its values by hand and may get other ones wrong too. NaN, Infinity and -Infinity are
 * kept, since a diverged run's loss is data: bare (as Python's json.dumps writes them) or as the
 * strings "nan", "inf", "-inf" (also "infinity", any case). A number too large for a double
 * ({@code 1e400}) is an error, not infinity. A line that is none of these, or has a bad name or
 * value, is rejected as a whole with the reason.
 */
public final class TrainerLines {
    /** The longest metric line read; a longer one is rejected (its text never held in memory whole). */
    public static final int MAX_LINE = 1 << 20;

    /** A number as the plain-words form takes it: what a float parser takes, without hex or suffixes. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Map<String, Double> NON_FINITE = Map.of(
            "nan", Double.NaN, "+nan", Double.NaN, "-nan", Double.NaN,
            "inf", Double.POSITIVE_INFINITY, "+inf", Double.POSITIVE_INFINITY, "infinity", Double.POSITIVE_INFINITY,
            "+infinity", Double.POSITIVE_INFINITY, "-inf", Double.NEGATIVE_INFINITY, "-infinity", Double.NEGATIVE_INFINITY);
    private static final double MAX_EPOCH = 1e9;
    /** Steps count batches, tokens or samples: up to 10^15, where a double still holds every integer. */
    private static final double MAX_STEP = 1e15;
    private static final Set<String> RESERVED = Set.of("epoch", "step", "progress", "checkpoint", "artifacts", "note", "tags", "init_from");
    /** Tags label a run for people and filters: short words, a few per run (the run document stays small). */
    public static final int MAX_TAG_LENGTH = 64;
    public static final int MAX_TAGS = 32;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:=+/-]*");

    private TrainerLines() {
    }

    /** Thrown for a line that cannot be taken; the message says why (the caller adds the line number). */
    public static final class BadLine extends RuntimeException {
        public BadLine(String message) {
            super(message);
        }
    }

    /**
     * Whether the line is meant for tracker - a JSON object, or plain words starting
     * {@code epoch=} or {@code step=} - as opposed to other output of a training script, which
     * passes through untouched.
     */
    public static boolean isFor(String line) {
        String t = line.strip();
        return t.startsWith("{") || t.startsWith("epoch=") || t.startsWith("step=");
    }

    /** The reason a line of more than {@link #MAX_LINE} characters is rejected. */
    public static String tooLong() {
        return "longer than " + MAX_LINE + " characters";
    }

    /** What a line says; throws {@link BadLine} saying what is wrong, and nothing else. */
    public static TrainerLine parse(String line) {
        return guarded(line, TrainerLines::parseUnguarded).withText(line.strip());
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

    private static TrainerLine parseUnguarded(String line) {
        String t = line.strip();
        if (t.startsWith("{")) {
            return of(json(t));
        }
        if (t.startsWith("epoch=") || t.startsWith("step=")) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String word : t.split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq <= 0) {
                    throw new BadLine("'" + abbreviate(word) + "' is not NAME=VALUE");
                }
                String name = word.substring(0, eq);
                if (m.containsKey(name)) {
                    throw new BadLine(abbreviate(name) + " is given twice");
                }
                m.put(name, plainNumber(word.substring(eq + 1), name));
            }
            return of(m);
        }
        throw new BadLine("not a metric line: expected a JSON object or 'epoch=N phase.metric=value ...'");
    }

    /** A JSON metric line as a map; a syntax error is a {@link BadLine}. */
    public static Map<String, Object> json(String line) {
        try {
            return Json.parseObject(line);
        } catch (JsonException e) {
            throw new BadLine("not valid JSON: " + e.getMessage());
        }
    }

    /** What a parsed JSON line (or plain words, their values already numbers) says. */
    static TrainerLine of(Map<String, Object> m) {
        Long epoch = m.containsKey("epoch") ? whole(m.get("epoch"), "epoch", MAX_EPOCH) : null;
        Long step = m.containsKey("step") ? whole(m.get("step"), "step", MAX_STEP) : null;
        Double progress = m.containsKey("progress") ? progress(m.get("progress")) : null;
        String checkpoint = text(m.get("checkpoint"), "checkpoint");
        String note = text(m.get("note"), "note");
        Map<String, String> artifacts = artifacts(m.get("artifacts"));
        List<String> tags = tags(m.get("tags"));
        String initFrom = text(m.get("init_from"), "init_from");
        Map<String, Map<String, Double>> phases = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : m.entrySet()) {
            String key = entry.getKey();
            if (RESERVED.contains(key)) {
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
        MetricValues values = null;
        if (!phases.isEmpty()) {
            if (epoch == null && step == null) {
                throw new BadLine("metric values need an \"epoch\" or a \"step\"");
            }
            values = new MetricValues(epoch, step, phases);
        }
        TrainerLine line = new TrainerLine(values, progress, checkpoint, artifacts, note, tags, initFrom, null);
        if (values == null && !line.hasExtras()) {
            throw new BadLine(epoch == null && step == null ? "no metric values, progress, checkpoint, artifacts, note, tags or init_from"
                    : "no metric values besides the " + (step != null ? "step" : "epoch"));
        }
        return line;
    }

    /** An epoch or step: a whole number from 0 to max. */
    static long whole(Object e, String what, double max) {
        if (!(e instanceof Number n)) {
            throw new BadLine(what + " must be a whole number, not " + describe(e) + quotesHint(e));
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < 0 || d > max) {
            throw new BadLine(what + " must be a whole number from 0 to " + String.format("%,d", (long) max) + ", not " + e);
        }
        return (long) d;
    }

    private static double progress(Object p) {
        if (!(p instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 1)) {
            throw new BadLine("progress must be a number from 0 to 1 (the fraction of the run done), not " + describe(p) + quotesHint(p));
        }
        return n.doubleValue();
    }

    private static Map<String, String> artifacts(Object a) {
        if (a == null) {
            return Map.of();
        }
        if (!(a instanceof Map<?, ?> am)) {
            throw new BadLine("\"artifacts\" must be an object of NAME: URI");
        }
        Map<String, String> artifacts = new LinkedHashMap<>();
        am.forEach((k, v) -> {
            checkName(String.valueOf(k), "artifact");
            artifacts.put(String.valueOf(k), text(v, "artifacts." + k));
        });
        return artifacts;
    }

    /** "tags": one tag or a list of them. */
    private static List<String> tags(Object t) {
        if (t == null) {
            return List.of();
        }
        List<?> given = t instanceof List<?> l ? l : List.of(t);
        if (given.size() > MAX_TAGS) {
            throw new BadLine("\"tags\" has " + given.size() + " tags, more than " + MAX_TAGS);
        }
        List<String> tags = new ArrayList<>();
        for (Object o : given) {
            if (!(o instanceof String s)) {
                throw new BadLine("\"tags\" must be a string or a list of strings, not " + describe(o));
            }
            String why = tagProblem(s);
            if (why != null) {
                throw new BadLine(why);
            }
            if (!tags.contains(s)) {
                tags.add(s);
            }
        }
        return tags;
    }

    /** Why a tag cannot be taken, or null: the same rule for trainer lines and {@code log --tag}. */
    public static String tagProblem(String tag) {
        if (tag.length() > MAX_TAG_LENGTH) {
            return "tag '" + abbreviate(tag) + "' is longer than " + MAX_TAG_LENGTH + " characters";
        }
        if (!TAG.matcher(tag).matches()) {
            return "tag '" + abbreviate(tag) + "' is not a tag: a letter or digit, then letters, digits and _ . : = + / -";
        }
        return null;
    }

    private static String text(Object v, String key) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new BadLine("\"" + key + "\" must be a non-empty string");
        }
        return s;
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
