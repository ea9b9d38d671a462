package tracker.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.json.JsonWriter;
import tracker.util.Durations;

/**
 * The canonical form of a definition: every default written out, keys sorted, numbers typed by
 * their field (floats as doubles, counts as integers), durations in one notation. Two files that
 * say the same thing - in any key order, block or flow style, 1e-1 or 0.1, 3e6 or 3000000, with or
 * without explicit defaults - have equal canonical forms and so equal hashes.
 */
public final class Canonical {
    private Canonical() {
    }

    /** Nested maps and lists of strings, numbers and booleans, with keys in canonical order. */
    public static Map<String, Object> of(Definition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("description", d.description());
        m.put("tags", d.tags());
        Map<String, Object> objective = new LinkedHashMap<>();
        objective.put("metric", d.objective().metric());
        objective.put("phase", d.objective().phase());
        objective.put("goal", d.objective().goal().name());
        m.put("objective", objective);
        Map<String, Object> datasets = new LinkedHashMap<>();
        d.datasets().forEach((name, ds) -> datasets.put(name, new LinkedHashMap<>(ds.attributes())));
        m.put("datasets", datasets);
        m.put("suites", new LinkedHashMap<>(d.suites()));
        Map<String, Object> models = new LinkedHashMap<>();
        for (Definition.Model model : d.models().values()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("suites", model.suites());
            mm.put("datasets", model.datasets());
            mm.put("priority", (long) d.priorityOf(model));
            Map<String, Object> params = new LinkedHashMap<>();
            model.params().forEach((p, space) -> params.put(p, param(space, model.conditions().get(p))));
            mm.put("params", params);
            models.put(model.name(), mm);
        }
        m.put("models", models);
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("method", d.search().method().word);
        search.put("trials", d.search().trials() == null ? null : (long) d.search().trials());
        search.put("replicates", (long) d.search().replicates());
        search.put("seed", d.search().seed());
        search.put("grid_limit", (long) d.search().gridLimit());
        // Written only when not the default: run_limit came after definitions were first hashed,
        // and the hash of a definition that does not raise it must stay what it was.
        if (d.search().runLimit() != DefinitionParser.DEFAULT_RUN_LIMIT) {
            search.put("run_limit", (long) d.search().runLimit());
        }
        // Written only where they say something: a definition without adaptive search or early
        // stopping keeps the hash it had before they existed.
        if (d.search().adaptive()) {
            search.put("startup", (long) d.search().startup());
            if (d.search().transfer()) {
                search.put("transfer", true);
            }
        }
        Definition.EarlyStopping stopping = d.search().earlyStopping();
        if (stopping != null) {
            Map<String, Object> es = new LinkedHashMap<>();
            es.put("method", stopping.rule().name());
            es.put("min_epochs", (long) stopping.minEpochs());
            if (stopping.rule() == Definition.Rule.asha) {
                es.put("eta", (long) stopping.eta());
            } else {
                es.put("min_runs", (long) stopping.minRuns());
            }
            search.put("early_stopping", es);
        }
        m.put("search", search);
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("lease", Durations.format(d.runs().lease()));
        runs.put("max_attempts", (long) d.runs().maxAttempts());
        runs.put("priority", (long) d.runs().priority());
        m.put("runs", runs);
        m.put("command", d.command());
        // Only when given: definitions derived from none keep the hash they had before it existed.
        if (d.derivedFrom() != null) {
            m.put("derived_from", d.derivedFrom());
        }
        return m;
    }

    /**
     * A parameter: its space, and its condition only when it has one, so definitions without
     * conditions keep the hash they had before {@code when} existed. A constant with a condition
     * is {@code {value: X, when: ...}}, since a bare value has no room for it.
     */
    @SuppressWarnings("unchecked")
    static Object param(Space s, Definition.Condition condition) {
        Object space = space(s);
        if (condition == null) {
            return space;
        }
        Map<String, Object> m = space instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>(Map.of("value", space));
        Map<String, Object> when = new LinkedHashMap<>();
        condition.values().forEach((on, values) -> when.put(on, new ArrayList<>(values)));
        m.put("when", when);
        return m;
    }

    /** A space as a value (constants) or a flow mapping with only the fields its kind has. */
    static Object space(Space s) {
        if (s instanceof Space.Constant c) {
            return c.value();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("distribution", s.distribution());
        if (s instanceof Space.Categorical c) {
            m.put("values", new ArrayList<>(c.values()));
        } else if (s instanceof Space.Uniform u) {
            m.put("min", u.min());
            m.put("max", u.max());
            if (u.points() != null) {
                m.put("points", (long) u.points());
            }
        } else if (s instanceof Space.LogUniform u) {
            m.put("min", u.min());
            m.put("max", u.max());
            if (u.points() != null) {
                m.put("points", (long) u.points());
            }
        } else if (s instanceof Space.IntUniform i) {
            m.put("min", i.min());
            m.put("max", i.max());
            if (i.log()) { // only when set: the hashes of definitions without it stay what they were
                m.put("log", true);
            }
        } else if (s instanceof Space.QUniform q) {
            m.put("min", q.min());
            m.put("max", q.max());
            m.put("q", q.q());
        } else if (s instanceof Space.QLogUniform q) {
            m.put("min", q.min());
            m.put("max", q.max());
            m.put("q", q.q());
        } else if (s instanceof Space.Normal n) {
            m.put("mu", n.mu());
            m.put("sigma", n.sigma());
        } else if (s instanceof Space.LogNormal n) {
            m.put("mu", n.mu());
            m.put("sigma", n.sigma());
        }
        return m;
    }

    /** SHA-256 of the canonical form's compact JSON (numbers frozen as they were first written: see writeForHash), in hex. */
    public static String hash(Definition d) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JsonWriter.writeForHash(of(d)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The canonical form as YAML, which {@link DefinitionParser} reads back to an equal definition. */
    public static String yaml(Definition d) {
        return CanonicalYaml.write(of(d));
    }

    /** The canonical YAML with a comment on each line saying where its value was written, or "default". */
    public static String yaml(Definition d, Origins origins) {
        return CanonicalYaml.write(of(d), origins);
    }

    /** Lines "path: old -> new", "+ path: value", "- path: value" for every difference; empty when equal. */
    public static List<String> diff(Definition before, Definition after) {
        return DefinitionDiff.lines(of(before), of(after));
    }
}
