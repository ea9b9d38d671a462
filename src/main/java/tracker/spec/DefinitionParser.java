package tracker.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import tracker.spec.Definition.Dataset;
import tracker.spec.Definition.EarlyStopping;
import tracker.spec.Definition.Goal;
import tracker.spec.Definition.Method;
import tracker.spec.Definition.Model;
import tracker.spec.Definition.Objective;
import tracker.spec.Definition.Rule;
import tracker.spec.Definition.Runs;
import tracker.spec.Definition.Search;
import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;
import tracker.util.Durations;
import tracker.util.Suggestions;

/**
 * Reads and validates a definition file. All problems are collected and reported together, each
 * with file:line:column; nothing partial is ever returned.
 */
public final class DefinitionParser {
    static final List<String> TOP = List.of("name", "description", "tags", "objective", "datasets", "suites", "models",
            "search", "runs", "command", "derived_from");
    /** An experiment version: NAME@N. */
    private static final java.util.regex.Pattern VERSION_ID = java.util.regex.Pattern.compile("(" + Fields.NAME.pattern() + ")@([1-9][0-9]{0,8})");
    static final List<String> OBJECTIVE = List.of("metric", "phase", "goal");
    static final List<String> MODEL = List.of("suites", "datasets", "params", "priority");
    static final List<String> SEARCH = List.of("method", "trials", "replicates", "seed", "grid_limit", "run_limit", "startup",
            "transfer", "early_stopping");
    static final List<String> EARLY_STOPPING = List.of("method", "min_epochs", "eta", "min_runs");
    static final List<String> RUNS = List.of("lease", "max_attempts", "priority");

    public static final String DEFAULT_PHASE = "val";
    public static final int DEFAULT_GRID_LIMIT = 10_000;
    public static final int DEFAULT_RUN_LIMIT = 1_000_000;
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);
    static final Duration MAX_LEASE = Duration.ofDays(365);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final String file;
    private final Problems problems;
    private final Fields f;

    private DefinitionParser(String file) {
        this.file = file;
        this.problems = new Problems(file);
        this.f = new Fields(problems);
    }

    /** A definition as a file says it, and where each of its values was written (see {@link Origins}). */
    public record Resolved(Definition definition, Origins origins) {
    }

    public static Definition parse(Path path) {
        return read(path, List.of(), true).definition();
    }

    /**
     * A definition file with its includes, its {@code --set} overrides (KEY=VALUE, in order) and
     * its models' {@code extends:} resolved, checked and defaults applied.
     *
     * @param includes whether {@code include:} may read other files (not for a file sent to tracker serve,
     *                 which must not read the server's files on a client's say)
     */
    public static Resolved read(Path path, List<String> overrides, boolean includes) {
        List<Overrides.Override> sets = overrides.stream().map(Overrides.Override::parse).toList();
        return new DefinitionParser(path.toString()).definition(DefinitionFile.read(path), includes ? path : null, sets);
    }

    /** A definition from text alone (a stored canonical form): nothing to include, nothing to override. */
    public static Definition parse(String text, String fileName) {
        return new DefinitionParser(fileName).definition(text, null, List.of()).definition();
    }

    private Resolved definition(String text, Path path, List<Overrides.Override> sets) {
        YNode root = YamlReader.read(text, problems);
        problems.throwIfAny();
        if (root == null) {
            problems.add(1, 1, "the file is empty: a definition needs at least name, objective, datasets and models");
            problems.throwIfAny();
        }
        if (root instanceof YMap written) {
            // Layered in this order: the included files under the file, --set over both, then
            // each model over what it extends (so an override of an inherited field merges).
            Overrides overrides = new Overrides(sets, problems);
            YMap layered = overrides.settleRemovals(Inheritance.resolve(overrides.apply(Includes.resolve(written, path, problems)), problems));
            problems.throwIfAny();
            root = layered;
        }
        YMap top = f.mapping(root, "the definition", TOP);
        if (top == null) {
            problems.throwIfAny();
        }

        String name = required(top, "name") == null ? null : f.name(top.get("name"), "name");
        String description = top.get("description") == null ? "" : f.string(top.get("description"), "description");
        List<String> tags = tags(top.get("tags"));
        String derivedFrom = null;
        if (top.get("derived_from") != null) {
            derivedFrom = f.string(top.get("derived_from"), "derived_from");
            if (derivedFrom != null && !VERSION_ID.matcher(derivedFrom.trim()).matches()) {
                problems.add(top.get("derived_from"), "derived_from names an experiment version, NAME@N (e.g. baseline@2), not '"
                        + derivedFrom + "'");
                derivedFrom = null;
            }
            derivedFrom = derivedFrom == null ? null : derivedFrom.trim();
        }
        Objective objective = objective(top);

        SortedMap<String, Dataset> datasets = new TreeMap<>();
        SortedMap<String, List<String>> suites = new TreeMap<>();
        Map<String, YNode> suiteNodes = new LinkedHashMap<>();
        readDatasets(top.get("datasets"), datasets, suites, suiteNodes);
        if (top.get("suites") != null) {
            readSuites(top.get("suites"), datasets, suites, suiteNodes);
        }
        if (required(top, "datasets") != null && datasets.isEmpty() && problems.isEmpty()) {
            problems.add(top.get("datasets"), "datasets is empty: name at least one dataset");
        }
        SortedMap<String, Model> models = models(top, datasets, suites);
        Search search = search(top.get("search"));
        Runs runs = runs(top.get("runs"));
        YNode commandNode = top.get("command");
        String command = commandNode == null || (commandNode instanceof YScalar cs && cs.value() == null) ? null
                : f.string(commandNode, "command");
        if (command != null && command.isBlank()) {
            command = null;
        }
        if (command != null) {
            checkCommand(top.get("command"), command.trim(), models, datasets);
            command = command.trim();
        }
        if (search != null && models != null) {
            checkGrid(top, search, models);
            checkRunCount(top, search, models);
        }
        problems.throwIfAny();
        // A model without its own priority has the experiment's: stored explicitly, so that
        // writing the default out or leaving it away gives the same definition.
        SortedMap<String, Model> withPriority = new TreeMap<>();
        models.forEach((n, m) -> withPriority.put(n, new Model(m.name(), m.suites(), m.datasets(), m.params(),
                m.priority() != null ? m.priority() : runs.priority(), m.conditions())));
        Definition definition = new Definition(name, description.trim(), tags, objective, datasets, suites, withPriority, search, runs, command,
                derivedFrom);
        return new Resolved(definition, Origins.of(top));
    }

    private YNode required(YMap map, String key) {
        YNode node = map.get(key);
        if (node == null) {
            problems.add(map, "missing '" + key + "'");
        }
        return node;
    }

    private List<String> tags(YNode node) {
        TreeSet<String> tags = new TreeSet<>();
        if (node == null) {
            return List.of();
        }
        List<YNode> items = node instanceof YList l ? l.items() : List.of(node);
        for (YNode item : items) {
            String t = f.string(item, "a tag");
            if (t != null) {
                tags.add(t.trim());
            }
        }
        return List.copyOf(tags);
    }

    private Objective objective(YMap top) {
        YMap o = f.mapping(required(top, "objective"), "objective", OBJECTIVE);
        if (o == null) {
            return null;
        }
        String metric = required(o, "metric") == null ? null : f.string(o.get("metric"), "objective.metric");
        if (metric != null && !MetricNames.valid(metric)) {
            problems.add(o.get("metric"), "objective.metric '" + metric + "' is not a valid metric name: " + MetricNames.RULE);
        }
        String phase = o.get("phase") == null ? DEFAULT_PHASE : f.string(o.get("phase"), "objective.phase");
        if (phase != null && !MetricNames.valid(phase)) {
            problems.add(o.get("phase"), "objective.phase '" + phase + "' is not a valid phase name: " + MetricNames.RULE);
        }
        String goal = required(o, "goal") == null ? null : f.word(o.get("goal"), "objective.goal", List.of("maximize", "minimize"));
        return new Objective(metric, phase, goal == null ? null : Goal.valueOf(goal));
    }

    /** {@code datasets:} as a list of entries, or a mapping of names (with attributes) plus {@code suites:}. */
    private void readDatasets(YNode node, SortedMap<String, Dataset> datasets, SortedMap<String, List<String>> suites,
                              Map<String, YNode> suiteNodes) {
        if (node == null) {
            return;
        }
        if (node instanceof YList list) {
            for (YNode item : list.items()) {
                entry(item, datasets, "datasets", true);
            }
            return;
        }
        YMap map = f.mapping(node, "datasets", null);
        if (map == null) {
            return;
        }
        for (YNode.Entry e : map.entries().values()) {
            if (e.key().text().equals("suites")) {
                readSuites(e.value(), datasets, suites, suiteNodes);
                continue;
            }
            String name = f.name(e.key(), "dataset name");
            if (name == null) {
                continue;
            }
            YMap attrs = e.value() == null || (e.value() instanceof YScalar s && s.value() == null) ? null
                    : f.mapping(e.value(), "dataset '" + name + "'", null);
            define(name, attributes(attrs, name), e.key(), datasets);
        }
    }

    private void readSuites(YNode node, SortedMap<String, Dataset> datasets, SortedMap<String, List<String>> suites,
                            Map<String, YNode> suiteNodes) {
        YMap map = f.mapping(node, "suites", null);
        if (map == null) {
            return;
        }
        for (YNode.Entry e : map.entries().values()) {
            String suite = f.name(e.key(), "suite name");
            if (suite == null) {
                continue;
            }
            if (suiteNodes.containsKey(suite)) {
                problems.add(e.key(), "suite '" + suite + "' is defined twice (also at " + suiteNodes.get(suite).where() + ")");
                continue;
            }
            suiteNodes.put(suite, e.key());
            YList list = e.value() instanceof YList l ? l : f.list(e.value() == null ? e.key() : e.value(), "suite '" + suite + "'");
            if (list == null) {
                continue;
            }
            if (list.items().isEmpty()) {
                problems.add(list, "suite '" + suite + "' is empty: list its datasets");
                continue;
            }
            TreeSet<String> members = new TreeSet<>();
            for (YNode item : list.items()) {
                String d = entry(item, datasets, "suite '" + suite + "'", false);
                if (d != null && !members.add(d)) {
                    problems.add(item, "dataset '" + d + "' is listed twice in suite '" + suite + "'");
                }
            }
            suites.put(suite, List.copyOf(members));
        }
    }

    /** A dataset entry: a name, or {name: NAME, ATTRIBUTE: value, ...}. Returns its name. */
    private String entry(YNode item, SortedMap<String, Dataset> datasets, String where, boolean unique) {
        if (item instanceof YMap m) {
            YNode n = m.get("name");
            if (n == null) {
                problems.add(item, "a dataset written as a mapping needs 'name' (in " + where + ")");
                return null;
            }
            String name = f.name(n, "dataset name");
            if (name == null) {
                return null;
            }
            Map<String, YNode.Entry> rest = new LinkedHashMap<>(m.entries());
            rest.remove("name");
            if (unique && datasets.containsKey(name)) {
                problems.add(n, "dataset '" + name + "' is listed twice");
                return null;
            }
            define(name, attributes(new YMap(rest, m.line(), m.column(), m.origin()), name), n, datasets);
            return name;
        }
        String name = f.name(item, "dataset name");
        if (name == null) {
            return null;
        }
        if (unique && datasets.containsKey(name)) {
            problems.add(item, "dataset '" + name + "' is listed twice");
            return null;
        }
        datasets.putIfAbsent(name, new Dataset(name, new TreeMap<>()));
        return name;
    }

    private void define(String name, SortedMap<String, Object> attrs, YNode at, SortedMap<String, Dataset> datasets) {
        Dataset old = datasets.get(name);
        if (old != null && !old.attributes().isEmpty() && !attrs.isEmpty() && !old.attributes().equals(attrs)) {
            problems.add(at, "dataset '" + name + "' is given different attributes in two places");
            return;
        }
        if (old == null || old.attributes().isEmpty()) {
            datasets.put(name, new Dataset(name, attrs));
        }
    }

    private SortedMap<String, Object> attributes(YMap attrs, String dataset) {
        SortedMap<String, Object> out = new TreeMap<>();
        if (attrs == null) {
            return out;
        }
        for (YNode.Entry e : attrs.entries().values()) {
            String key = e.key().text();
            if (!Fields.PARAM.matcher(key).matches()) {
                problems.add(e.key(), "attribute '" + key + "' of dataset '" + dataset + "' is not a valid name: "
                        + "use letters, digits and '_', starting with a letter");
            } else if (e.value() instanceof YScalar s && s.value() != null) {
                out.put(key, s.value());
            } else {
                problems.add(e.value() == null ? e.key() : e.value(), "attribute '" + key + "' of dataset '" + dataset
                        + "' must be a single value (text, number or true/false)");
            }
        }
        return out;
    }

    private SortedMap<String, Model> models(YMap top, SortedMap<String, Dataset> datasets, SortedMap<String, List<String>> suites) {
        YMap map = f.mapping(required(top, "models"), "models", null);
        if (map == null) {
            return null;
        }
        if (map.entries().isEmpty()) {
            problems.add(map, "models is empty: define at least one model");
        }
        SortedMap<String, Model> models = new TreeMap<>();
        SpaceParser spaces = new SpaceParser(f);
        for (YNode.Entry e : map.entries().values()) {
            String name = f.name(e.key(), "model name");
            if (name == null) {
                continue;
            }
            YMap m = f.mapping(e.value() == null ? e.key() : e.value(), "model '" + name + "'", MODEL);
            if (m == null) {
                continue;
            }
            TreeSet<String> runsOn = new TreeSet<>();
            TreeSet<String> suiteRefs = new TreeSet<>();
            for (YScalar s : f.names(m.get("suites"), "suite")) {
                String suite = s.text();
                if (!suites.containsKey(suite)) {
                    String near = Suggestions.closest(suite, suites.keySet());
                    problems.add(s, "model '" + name + "' names suite '" + suite + "', which is not defined"
                            + (near != null ? " (did you mean '" + near + "'?)"
                            : suites.isEmpty() ? "; define it under suites:" : "; suites: " + String.join(", ", suites.keySet())));
                } else {
                    suiteRefs.add(suite);
                    runsOn.addAll(suites.get(suite));
                }
            }
            for (YScalar s : f.names(m.get("datasets"), "dataset")) {
                String d = s.text();
                if (!datasets.containsKey(d)) {
                    String near = Suggestions.closest(d, datasets.keySet());
                    problems.add(s, "model '" + name + "' names dataset '" + d + "', which is not defined"
                            + (near != null ? " (did you mean '" + near + "'?)" : "; add it under datasets:"));
                } else {
                    runsOn.add(d);
                }
            }
            if (runsOn.isEmpty() && m.get("suites") == null && m.get("datasets") == null) {
                problems.add(e.key(), "model '" + name + "' runs on no datasets: add suites: [...] or datasets: [...]");
            } else if (runsOn.isEmpty() && problems.isEmpty()) {
                problems.add(e.key(), "model '" + name + "' runs on no datasets: its suites and datasets lists are empty");
            }
            SortedMap<String, Space> params = new TreeMap<>();
            Map<String, YNode> written = new LinkedHashMap<>();
            YMap p = m.get("params") == null ? null : f.mapping(m.get("params"), "params of model '" + name + "'", null);
            if (p != null) {
                for (YNode.Entry pe : p.entries().values()) {
                    String param = pe.key().text();
                    if (!Fields.PARAM.matcher(param).matches()) {
                        problems.add(pe.key(), "parameter '" + param + "' of model '" + name
                                + "' is not a valid name: use letters, digits and '_', starting with a letter or '_'");
                        continue;
                    }
                    written.put(param, pe.value());
                    Space space = spaces.parse(pe.value() == null ? pe.key() : pe.value(), name + "." + param);
                    if (space != null) {
                        params.put(param, space);
                    }
                }
            }
            SortedMap<String, Definition.Condition> conditions = new ConditionParser(f).parse(name, written, params);
            Integer priority = m.get("priority") == null ? null : priority(m.get("priority"), "priority of model '" + name + "'");
            models.put(name, new Model(name, List.copyOf(suiteRefs), List.copyOf(runsOn), params, priority, conditions));
        }
        return models;
    }

    private Search search(YNode node) {
        YMap s = node == null ? null : f.mapping(node, "search", SEARCH);
        if (node != null && s == null) {
            return null;
        }
        String methodWord = s == null || s.get("method") == null ? "random"
                : f.word(s.get("method"), "search.method", List.of("grid", "random", "quasi-random", "tpe"));
        Method method = methodWord == null ? null : Method.of(methodWord);
        Integer trials = s == null || s.get("trials") == null ? null : f.positive(s.get("trials"), "search.trials");
        if (trials == null && method != Method.grid) {
            trials = 1;
        }
        Integer replicates = s == null || s.get("replicates") == null ? Integer.valueOf(1) : f.positive(s.get("replicates"), "search.replicates");
        Long seed = s == null || s.get("seed") == null ? Long.valueOf(0) : f.integer(s.get("seed"), "search.seed");
        Integer limit = s == null || s.get("grid_limit") == null ? Integer.valueOf(DEFAULT_GRID_LIMIT)
                : f.positive(s.get("grid_limit"), "search.grid_limit");
        Integer runLimit = s == null || s.get("run_limit") == null ? Integer.valueOf(DEFAULT_RUN_LIMIT)
                : f.positive(s.get("run_limit"), "search.run_limit");
        Integer startup = Search.DEFAULT_STARTUP;
        Boolean transfer = false;
        if (s != null && method != null && method != Method.tpe) {
            for (String key : List.of("startup", "transfer")) {
                if (s.get(key) != null) {
                    problems.add(s.get(key), "search." + key + " applies to method: tpe only (this search is " + method.word + ")");
                }
            }
        } else if (s != null) {
            startup = s.get("startup") == null ? startup : f.between(s.get("startup"), "search.startup", 1, 10_000);
            transfer = s.get("transfer") == null ? transfer : f.bool(s.get("transfer"), "search.transfer");
        }
        EarlyStopping stopping = s == null || s.get("early_stopping") == null ? null : earlyStopping(s.get("early_stopping"));
        if (method == null || replicates == null || seed == null || limit == null || runLimit == null || startup == null
                || transfer == null || (s != null && s.get("early_stopping") != null && stopping == null)) {
            return null;
        }
        return new Search(method, trials, replicates, seed, limit, runLimit, startup, transfer, stopping);
    }

    private EarlyStopping earlyStopping(YNode node) {
        YMap e = f.mapping(node, "search.early_stopping", EARLY_STOPPING);
        if (e == null) {
            return null;
        }
        if (e.get("method") == null) {
            problems.add(node, "search.early_stopping needs a method: asha or median");
            return null;
        }
        String word = f.word(e.get("method"), "search.early_stopping.method", List.of("asha", "median"));
        Rule rule = word == null ? null : Rule.valueOf(word);
        Integer minEpochs = e.get("min_epochs") == null ? Integer.valueOf(1)
                : f.between(e.get("min_epochs"), "search.early_stopping.min_epochs", 1, 1_000_000);
        Integer eta = EarlyStopping.DEFAULT_ETA;
        Integer minRuns = EarlyStopping.DEFAULT_MIN_RUNS;
        if (rule == Rule.asha) {
            eta = e.get("eta") == null ? eta : f.between(e.get("eta"), "search.early_stopping.eta", 2, 100);
            if (e.get("min_runs") != null) {
                problems.add(e.get("min_runs"), "search.early_stopping.min_runs applies to method: median only");
            }
        } else if (rule == Rule.median) {
            minRuns = e.get("min_runs") == null ? minRuns : f.between(e.get("min_runs"), "search.early_stopping.min_runs", 1, 10_000);
            if (e.get("eta") != null) {
                problems.add(e.get("eta"), "search.early_stopping.eta applies to method: asha only");
            }
        }
        if (rule == null || minEpochs == null || eta == null || minRuns == null) {
            return null;
        }
        return new EarlyStopping(rule, minEpochs, eta, minRuns);
    }

    private Runs runs(YNode node) {
        YMap r = node == null ? null : f.mapping(node, "runs", RUNS);
        Duration lease = r == null || r.get("lease") == null ? DEFAULT_LEASE : f.duration(r.get("lease"), "runs.lease");
        if (lease != null && lease.toMillis() < 1000) {
            problems.add(r.get("lease"), "runs.lease must be at least 1s");
        } else if (lease != null && lease.compareTo(MAX_LEASE) > 0) {
            problems.add(r.get("lease"), "runs.lease is too large: at most " + Durations.format(MAX_LEASE)
                    + " (a worker that may stay silent longer should renew its lease with tracker heartbeat)");
        }
        Integer attempts = r == null || r.get("max_attempts") == null ? Integer.valueOf(DEFAULT_MAX_ATTEMPTS)
                : f.positive(r.get("max_attempts"), "runs.max_attempts");
        Integer priority = r == null || r.get("priority") == null ? Integer.valueOf(0) : priority(r.get("priority"), "runs.priority");
        return new Runs(lease, attempts == null ? DEFAULT_MAX_ATTEMPTS : attempts, priority == null ? 0 : priority);
    }

    /** Any int whose negation is one too (claim order sorts by -priority). */
    private Integer priority(YNode node, String what) {
        return f.between(node, what, -Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    private void checkCommand(YNode node, String command, SortedMap<String, Model> models, SortedMap<String, Dataset> datasets) {
        List<CommandTemplate.Part> parts;
        try {
            parts = CommandTemplate.parse(command);
        } catch (IllegalArgumentException e) {
            problems.add(node, "command: " + e.getMessage());
            return;
        }
        if (models == null) {
            return;
        }
        List<String> seen = new ArrayList<>();
        for (CommandTemplate.Part p : parts) {
            if (!p.placeholder()) {
                continue;
            }
            for (Model m : models.values()) {
                String why = CommandTemplate.problem(p.text(), m, datasets);
                if (why != null && !seen.contains(why)) {
                    seen.add(why);
                    problems.add(node, "command: " + why);
                }
            }
        }
    }

    private void checkGrid(YMap top, Search search, SortedMap<String, Model> models) {
        if (search.method() != Method.grid) {
            return;
        }
        YNode at = top.get("search") != null ? top.get("search") : top;
        for (Model m : models.values()) {
            for (Map.Entry<String, Space> p : m.params().entrySet()) {
                if (GridValues.size(p.getValue()) < 0) {
                    problems.add(at, "grid search cannot enumerate " + m.name() + "." + p.getKey() + " (" + p.getValue().distribution()
                            + "): give it a list of values, an int_uniform or q_uniform range, or 'points: N' on a uniform/log_uniform");
                    break;
                }
            }
            long size = GridValues.gridSize(m);
            if (size > search.gridLimit()) {
                problems.add(at, "the grid of model '" + m.name() + "' has " + (size == Long.MAX_VALUE ? "too many" : size)
                        + " settings, more than search.grid_limit (" + search.gridLimit()
                        + "): cap it with search.trials, shrink the space, or raise grid_limit");
            }
        }
    }

    /** Refuses a plan larger than search.run_limit from its numbers alone, before a single run is planned. */
    private void checkRunCount(YMap top, Search search, SortedMap<String, Model> models) {
        if (!problems.isEmpty()) {
            return; // a grid too large or a model without datasets: the count would mislead
        }
        long runs = PlanSize.runs(models.values(), search);
        if (runs > search.runLimit()) {
            YNode at = top.get("search") != null ? top.get("search") : top;
            problems.add(at, "the definition plans " + (runs == Long.MAX_VALUE ? "more than " + PlanSize.thousands(Long.MAX_VALUE)
                    : PlanSize.thousands(runs)) + " runs, more than search.run_limit (" + PlanSize.thousands(search.runLimit()) + "): lower search.trials, "
                    + "search.replicates or the models and datasets, or raise run_limit if you mean it");
        }
    }
}
