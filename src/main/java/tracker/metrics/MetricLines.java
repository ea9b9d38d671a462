package tracker.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

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
 * Values are numbers; NaN, Infinity and -Infinity (also as the strings "nan", "inf", "-inf")
 * are kept, since a diverged run's loss is data. A line that is none of these, or has a bad
 * name or value, is rejected as a whole with the reason.
 */
public final class MetricLines {
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

    public static EpochValues parse(String line) {
        String t = line.strip();
        if (t.startsWith("{")) {
            Map<String, Object> m;
            try {
                m = Json.parseObject(t);
            } catch (JsonException e) {
                throw new BadLine("not valid JSON: " + e.getMessage());
            }
            return of(m);
        }
        if (t.startsWith("epoch=")) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String word : t.split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq <= 0) {
                    throw new BadLine("'" + word + "' is not NAME=VALUE");
                }
                m.put(word.substring(0, eq), word.substring(eq + 1));
            }
            return of(m);
        }
        throw new BadLine("not a metric line: expected JSON with an \"epoch\" key or 'epoch=N phase.metric=value ...'");
    }

    /** The values of a parsed JSON metric line. */
    public static EpochValues of(Map<String, Object> m) {
        Object e = m.get("epoch");
        long epoch = epoch(e);
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
                    throw new BadLine("'" + key + "' is not phase.metric (e.g. val.acc)");
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
        try {
            double d = e instanceof Number n ? n.doubleValue() : Double.parseDouble(e.toString());
            if (d != Math.rint(d) || d < 0 || d > 1e9) {
                throw new BadLine("epoch must be a whole number from 0, not " + e);
            }
            return (long) d;
        } catch (NumberFormatException ex) {
            throw new BadLine("epoch must be a whole number, not '" + e + "'");
        }
    }

    /** The same check for names given as options: a usage error. */
    public static void checkNameOrUsage(String name, String what) {
        if (!MetricNames.valid(name)) {
            throw tracker.TrackerException.usage("'" + name + "' is not a valid " + what + " name", MetricNames.RULE);
        }
    }

    public static void checkName(String name, String what) {
        if (!MetricNames.valid(name)) {
            throw new BadLine("'" + name + "' is not a valid " + what + " name: " + MetricNames.RULE);
        }
    }

    /** A metric value: a number, or NaN / Infinity / -Infinity in their usual spellings. */
    public static double value(Object v, String what) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            String t = s.strip().toLowerCase();
            switch (t) {
                case "nan": return Double.NaN;
                case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
                case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        throw new BadLine(what + "=" + s + " is not a number");
                    }
            }
        }
        throw new BadLine(what + " must be a number, not " + (v == null ? "null" : v));
    }
}
