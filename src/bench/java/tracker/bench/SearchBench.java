package tracker.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bson.Document;

import tracker.Tracker;
import tracker.embedded.ServerManager;

/**
 * Adaptive search against Optuna: the same objectives, trial budgets, seeds and worker counts through
 * tracker ({@code tracker create} + one {@code target/tracker run -e NAME --parallel W -- CMD {args}}
 * + {@code tracker export -o jsonl}) and through Optuna ({@code src/bench/python/optuna_side.py}), one
 * study per (objective, workers, seed, method), and a markdown table of what each method reached for
 * how many epochs. {@code mvn -o -Pbench verify -Dbench=search}; not part of {@code all} (it is long).
 *
 * <p>Objectives: the synthetic learning curves of {@code src/bench/python/curves.py} (functions
 * {@code lr-width}, {@code lr-width-opt}) and the demo's real trainer
 * ({@code experiments/tabular/Train.java}, model mlp, on one dataset of experiments/tabular/data),
 * compiled once into a class directory that both sides start with the same {@code java} command.
 *
 * <p>Per study: <b>best</b> = the largest {@code val} value of the objective that any run (trial)
 * logged at any epoch, pruned runs included (per run its maximum over its epochs - tracker's
 * {@code metrics.val.METRIC.max}, which is {@code objective_best}; Optuna: the maximum of the values
 * reported); <b>test</b> = that run's test value at that epoch (the earliest with the maximum;
 * tracker's {@code TEST@chosen}; for curves.py the noise-free curve, the setting's true quality);
 * <b>epochs</b> = epochs trained summed over all runs; <b>duplicates</b> = runs whose parameters
 * equal an earlier run's in the study; <b>wall</b> = seconds of the {@code tracker run} process
 * (JVM start and claims included) or of Optuna's {@code study.optimize}.
 *
 * <p>System properties (empty: the default): bench.seeds (10), bench.trials (40), bench.epochs (27),
 * bench.sleep (0.02 s per epoch of curves.py), bench.workers (1,8), bench.startup (10: tpe's
 * quasi-random trials, both sides), bench.functions (lr-width,lr-width-opt; none), bench.methods
 * (tracker:random,tracker:tpe+asha,optuna:tpe+sha,optuna:random - SIDE:SAMPLER[+PRUNER], samplers
 * random, quasi-random, tpe; pruners asha (Optuna: SuccessiveHalvingPruner, also called sha) and
 * median), bench.trainer (breast_cancer: a dataset of experiments/tabular/data, or none),
 * bench.trainer.seeds (5), bench.trainer.trials (20), bench.trainer.epochs (9), bench.python
 * (/usr/bin/python3 when it has optuna), bench.optuna.spawn (false: Optuna calls curves.py's functions in-process;
 * true: it starts curves.py per trial, as tracker does), bench.keep (a directory to keep the data in).
 * A tracker method that this build refuses (tpe, early stopping before they exist) is reported once
 * with tracker's message and its rows are skipped.
 */
final class SearchBench {
    private static final Path PY = Path.of("src/bench/python").toAbsolutePath();

    private SearchBench() {
    }

    /** SIDE:SAMPLER[+PRUNER], e.g. tracker:tpe+asha, optuna:random. */
    record Method(String side, String sampler, String pruner) {
        static Method parse(String text) {
            String[] sidePart = text.trim().split(":", 2);
            if (sidePart.length != 2 || !List.of("tracker", "optuna").contains(sidePart[0])) {
                throw new IllegalArgumentException("bench.methods: '" + text + "' is not tracker:SAMPLER[+PRUNER] or optuna:SAMPLER[+PRUNER]");
            }
            String[] sp = sidePart[1].split("\\+", 2);
            String pruner = sp.length > 1 ? sp[1] : "none";
            pruner = pruner.equals("sha") ? "asha" : pruner;
            if (!List.of("random", "quasi-random", "tpe", "grid").contains(sp[0]) || !List.of("none", "asha", "median").contains(pruner)) {
                throw new IllegalArgumentException("bench.methods: '" + text + "': samplers random, quasi-random, tpe; pruners asha (sha), median");
            }
            return new Method(sidePart[0], sp[0], pruner);
        }

        String label() {
            if (side.equals("tracker")) {
                return "tracker " + sampler + (pruner.equals("none") ? "" : " + " + pruner);
            }
            String s = switch (sampler) {
                case "tpe" -> "TPE";
                case "random" -> "Random";
                default -> "QMC";
            };
            String p = switch (pruner) {
                case "asha" -> " + SuccessiveHalving";
                case "median" -> " + Median";
                default -> "";
            };
            return "Optuna " + s + p;
        }

        String slug() {
            return side + "-" + sampler + (pruner.equals("none") ? "" : "-" + pruner);
        }
    }

    /** An objective: how each side runs one trial of it. */
    record Target(String name, String model, String dataset, String metric, String testMetric, int epochs, int trials,
                  int seeds, List<String> trackerCommand, List<String> optunaArgs, String params) {
        /** The command with this seed (the curves' noise, the trainer's initial weights and shuffling). */
        List<String> command(int seed) {
            return trackerCommand.stream().map(w -> w.replace("SEED", Integer.toString(seed))).toList();
        }
    }

    record Study(String target, int workers, int seed, Method method, double best, Double bestTest, long epochs,
                 int trials, int pruned, int duplicates, double wall) {
        String json() {
            return new Document("objective", target).append("workers", workers).append("seed", seed).append("method", method.label())
                    .append("best", best).append("best_test", bestTest).append("epochs", epochs).append("trials", trials)
                    .append("pruned", pruned).append("duplicates", duplicates).append("wall", wall).toJson();
        }
    }

    static void run() throws Exception {
        int seeds = intProp("bench.seeds", 10);
        int trials = intProp("bench.trials", 40);
        int epochs = intProp("bench.epochs", 27);
        double sleep = Double.parseDouble(prop("bench.sleep", "0.02"));
        int startup = intProp("bench.startup", 10);
        List<Integer> workers = Arrays.stream(prop("bench.workers", "1,8").split(",")).map(String::trim).map(Integer::valueOf).toList();
        List<Method> methods = Arrays.stream(prop("bench.methods", "tracker:random,tracker:tpe+asha,optuna:tpe+sha,optuna:random")
                .split(",")).map(Method::parse).toList();
        String python = prop("bench.python", hasOptuna("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
        Path launcher = Path.of("target/tracker").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no target/tracker: build it first (mvn -o -q -DskipTests package)");
        }
        String keep = prop("bench.keep", "");
        Path dir = keep.isBlank() ? Files.createTempDirectory("tracker-bench-search") : Files.createDirectories(Path.of(keep).toAbsolutePath());
        Path home = dir.resolve("data");
        Files.createDirectories(dir.resolve("defs"));
        Files.createDirectories(dir.resolve("logs"));
        Map<String, String> env = ServerProcess.env(home);

        List<Target> targets = new ArrayList<>();
        for (String f : prop("bench.functions", "lr-width,lr-width-opt").split(",")) {
            if (f.isBlank() || f.equals("none")) {
                continue;
            }
            List<String> cmd = List.of(python, PY.resolve("curves.py").toString(), "--function", f, "--seed", "SEED",
                    "--epochs", Integer.toString(epochs), "--sleep", Double.toString(sleep));
            // Optuna calls curves.py's functions in-process (its own overhead only), or with
            // -Dbench.optuna.spawn=true starts curves.py per trial as tracker does.
            List<String> optunaArgs = Boolean.parseBoolean(prop("bench.optuna.spawn", "false"))
                    ? List.of("--space", f, "--metric", "val.score", "--test-metric", "test.score")
                    : List.of("--function", f, "--epochs", Integer.toString(epochs), "--sleep", Double.toString(sleep));
            targets.add(new Target(f, "f", "synthetic", "val.score", "test.score", epochs, trials, seeds, cmd, optunaArgs,
                    output(List.of(python, PY.resolve("curves.py").toString(), "--function", f, "--tracker-params"))));
        }
        String data = prop("bench.trainer", "breast_cancer");
        if (!data.isBlank() && !data.equals("none")) {
            Path csv = Path.of("experiments/tabular/data", data + ".csv").toAbsolutePath();
            if (!Files.exists(csv)) {
                throw new IllegalArgumentException("bench.trainer: no " + csv);
            }
            Path classes = dir.resolve("train-classes");
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "-d", classes.toString(),
                    Path.of("experiments/tabular/Train.java").toAbsolutePath().toString()));
            int te = intProp("bench.trainer.epochs", 9);
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), "Train", "--model", "mlp",
                    "--data", csv.toString(), "--seed", "SEED", "--epochs=" + te);
            targets.add(new Target("mlp/" + data, "mlp", data, "val.accuracy", "test.accuracy", te,
                    intProp("bench.trainer.trials", 20), intProp("bench.trainer.seeds", 5), cmd,
                    List.of("--space", "mlp", "--metric", "val.accuracy", "--test-metric", "test.accuracy", "--epochs", Integer.toString(te)),
                    output(List.of(python, PY.resolve("optuna_side.py").toString(), "--sampler", "random", "--trainer", "x",
                            "--space", "mlp", "--tracker-params"))));
        }

        System.out.printf("%nsearch: %s; methods %s; workers %s; tpe startup %d; data in %s%n",
                targets.stream().map(t -> t.name() + " (" + t.seeds() + " seeds x " + t.trials() + " trials x " + t.epochs() + " epochs)")
                        .collect(Collectors.joining(", ")),
                methods.stream().map(Method::label).collect(Collectors.joining(", ")), workers, startup, dir);
        Map<String, String> refused = new LinkedHashMap<>();
        List<Study> studies = new ArrayList<>();
        Path results = dir.resolve("studies.jsonl");
        ServerManager manager = new ServerManager(home, env);
        try {
            for (Target t : targets) {
                for (int w : workers) {
                    for (int seed = 0; seed < t.seeds(); seed++) {
                        for (Method m : methods) {
                            if (refused.containsKey(m.slug())) {
                                continue;
                            }
                            Study s = m.side().equals("tracker") ? tracker(t, m, w, seed, startup, dir, env, launcher, refused)
                                    : optuna(t, m, w, seed, startup, python, dir);
                            if (s == null) {
                                continue;
                            }
                            studies.add(s);
                            Files.writeString(results, s.json() + "\n", StandardCharsets.UTF_8,
                                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                            System.err.printf(Locale.ROOT, "search: %s w%d seed %d %-32s best %.4f test %s epochs %d pruned %d dup %d %.1f s%n",
                                    t.name(), w, seed, m.label(), s.best(), s.bestTest() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.bestTest()),
                                    s.epochs(), s.pruned(), s.duplicates(), s.wall());
                        }
                    }
                }
            }
        } finally {
            manager.stop(Duration.ofSeconds(20));
        }
        table(targets, workers, methods, studies, refused);
        if (keep.isBlank()) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            System.out.println("\n(-Dbench.keep=DIR keeps every study's figures in DIR/studies.jsonl, the logs and the database)");
        } else {
            System.out.println("\nEvery study: " + results + "; logs in " + dir.resolve("logs") + "; TRACKER_HOME=" + home);
        }
    }

    /** One tracker study, or null when this build refuses the method (noted in refused). */
    private static Study tracker(Target t, Method m, int w, int seed, int startup, Path dir, Map<String, String> env,
                                 Path launcher, Map<String, String> refused) throws Exception {
        String name = ("sb-" + t.name() + "-" + m.slug() + "-w" + w + "-s" + seed).replaceAll("[^A-Za-z0-9_.-]", "-");
        String[] metric = t.metric().split("\\.", 2);
        StringBuilder search = new StringBuilder("{method: " + m.sampler() + ", trials: " + t.trials() + ", seed: " + seed);
        if (m.sampler().equals("tpe")) {
            search.append(", startup: ").append(startup);
        }
        if (m.pruner().equals("asha")) {
            search.append(", early_stopping: {method: asha, min_epochs: 1, eta: 3}");
        } else if (m.pruner().equals("median")) {
            search.append(", early_stopping: {method: median, min_epochs: 1}");
        }
        search.append('}');
        String yaml = "name: " + name + "\n"
                + "objective: {metric: " + metric[1] + ", phase: " + metric[0] + ", goal: maximize}\n"
                + "datasets: [" + t.dataset() + "]\n"
                + "models:\n  " + t.model() + ":\n    datasets: [" + t.dataset() + "]\n    params:\n" + t.params()
                + "search: " + search + "\n"
                + "runs: {max_attempts: 1}\n";
        Path def = dir.resolve("defs").resolve(name + ".yaml");
        Files.writeString(def, yaml);
        StringWriter err = new StringWriter();
        if (Tracker.run(new String[] {"create", def.toString()}, env, new PrintWriter(new StringWriter()), new PrintWriter(err)) != 0) {
            if (!m.sampler().equals("tpe") && m.pruner().equals("none")) {
                throw new IllegalStateException("tracker create " + def + " failed: " + err);
            }
            // tracker's problems without the file's path: "search.method must be one of grid, random, quasi-random, not 'tpe'; ..."
            List<String> problems = err.toString().lines().filter(l -> l.contains("search"))
                    .map(l -> l.replaceFirst("^.*?\\.yaml:\\d+:\\d+: ", "").replaceFirst("; hint: .*$", "").trim()).toList();
            String why = problems.stream().filter(l -> l.startsWith("search.method")).findFirst()
                    .orElse(String.join("; ", problems));
            refused.put(m.slug(), m.label() + ": this build refuses it (" + (why.isEmpty() ? err.toString().trim() : why) + ")");
            System.out.println("\nskipped: " + refused.get(m.slug()));
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "run", "-e", name, "--parallel", Integer.toString(w),
                "-o", "json", "--"));
        cmd.addAll(t.command(seed));
        cmd.add("{args}");
        Path log = dir.resolve("logs").resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String summary = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("tracker run -e " + name + " exited " + code + ": " + summary + "\n" + tail(log));
        }
        StringWriter out = new StringWriter();
        err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        int exported = Tracker.run(new String[] {"export", "-e", name, "-o", "jsonl", "--metric", t.testMetric()}, env, outWriter, errWriter);
        outWriter.flush();
        errWriter.flush();
        if (exported != 0) {
            throw new IllegalStateException("tracker export -e " + name + " failed: " + err);
        }
        double best = Double.NEGATIVE_INFINITY;
        Double bestTest = null;
        long epochs = 0;
        int runs = 0;
        int pruned = 0;
        Set<String> settings = new HashSet<>();
        int duplicates = 0;
        String[] test = t.testMetric().split("\\.", 2);
        for (String line : out.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Document run = Document.parse(line);
            String status = run.getString("status");
            if (status.equals("pending")) {
                continue;
            }
            runs++;
            pruned += status.equals("pruned") ? 1 : 0;
            Document params = run.get("params", Document.class);
            if (!settings.add(params == null ? "" : new TreeMap<>(params).toString())) {
                duplicates++;
            }
            Number e = (Number) run.get("epochs");
            epochs += e == null ? 0 : e.longValue();
            Document metrics = run.get("metrics", Document.class);
            Document val = metrics == null ? null : metrics.get(metric[0], Document.class);
            Document v = val == null ? null : val.get(metric[1], Document.class);
            if (v == null || !(v.get("max") instanceof Number max)) {
                continue;
            }
            if (max.doubleValue() > best) {
                best = max.doubleValue();
                Object chosen = run.get(test[0] + "." + test[1] + "@chosen");
                bestTest = chosen instanceof Number n ? n.doubleValue() : null;
            }
        }
        return new Study(t.name(), w, seed, m, best, bestTest, epochs, runs, pruned, duplicates, wall);
    }

    private static Study optuna(Target t, Method m, int w, int seed, int startup, String python, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, PY.resolve("optuna_side.py").toString(), "--sampler", m.sampler(),
                "--pruner", m.pruner(), "--seed", Integer.toString(seed), "--trials", Integer.toString(t.trials()),
                "--startup", Integer.toString(startup), "--workers", Integer.toString(w)));
        cmd.addAll(t.optunaArgs());
        if (t.optunaArgs().contains("--space")) {
            cmd.add("--trainer");
            cmd.add(t.command(seed).stream().map(SearchBench::shellQuote).collect(Collectors.joining(" ")));
        }
        Path log = dir.resolve("logs").resolve(("optuna-" + t.name() + "-" + m.slug() + "-w" + w + "-s" + seed).replaceAll("[^A-Za-z0-9_.-]", "-") + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + tail(log));
        }
        Document d = Document.parse(out.lines().reduce((a, b) -> b).orElseThrow());
        Object test = d.get("best_test");
        return new Study(t.name(), w, seed, m, ((Number) d.get("best")).doubleValue(), test instanceof Number n ? n.doubleValue() : null,
                ((Number) d.get("epochs")).longValue(), ((Number) d.get("trials")).intValue(), ((Number) d.get("pruned")).intValue(),
                ((Number) d.get("duplicates")).intValue(), ((Number) d.get("wall")).doubleValue());
    }

    private static void table(List<Target> targets, List<Integer> workers, List<Method> methods, List<Study> studies,
                              Map<String, String> refused) {
        System.out.println();
        for (String why : refused.values()) {
            System.out.println("Skipped: " + why);
        }
        System.out.println();
        System.out.println("| objective | workers | method | studies | best val, median [IQR] | its test, median | epochs trained, median | pruned runs, median | duplicates (all studies) | wall (s), median |");
        System.out.println("|---|---:|---|---:|---|---:|---:|---:|---:|---:|");
        for (Target t : targets) {
            for (int w : workers) {
                for (Method m : methods) {
                    List<Study> rows = studies.stream().filter(s -> s.target().equals(t.name()) && s.workers() == w && s.method().equals(m)).toList();
                    if (rows.isEmpty()) {
                        System.out.printf("| %s | %d | %s | 0 | skipped | | | | | |%n", t.name(), w, m.label());
                        continue;
                    }
                    double[] best = rows.stream().mapToDouble(Study::best).sorted().toArray();
                    double[] test = rows.stream().filter(s -> s.bestTest() != null).mapToDouble(Study::bestTest).sorted().toArray();
                    System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.4f [%.4f, %.4f] | %s | %.0f | %.0f | %d | %.1f |%n", t.name(), w, m.label(),
                            rows.size(), quantile(best, 0.5), quantile(best, 0.25), quantile(best, 0.75),
                            test.length == 0 ? "-" : String.format(Locale.ROOT, "%.4f", quantile(test, 0.5)),
                            quantile(rows.stream().mapToDouble(Study::epochs).sorted().toArray(), 0.5),
                            quantile(rows.stream().mapToDouble(Study::pruned).sorted().toArray(), 0.5),
                            rows.stream().mapToInt(Study::duplicates).sum(),
                            quantile(rows.stream().mapToDouble(Study::wall).sorted().toArray(), 0.5));
                }
            }
        }
    }

    /** Linear interpolation between order statistics (R's type 7, numpy's default) of sorted values. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static String prop(String name, String def) {
        String v = System.getProperty(name, "");
        return v.isBlank() ? def : v.trim();
    }

    private static int intProp(String name, int def) {
        return Integer.parseInt(prop(name, Integer.toString(def)));
    }

    private static boolean hasOptuna(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import optuna").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String shellQuote(String word) {
        return word.matches("[A-Za-z0-9_./=:+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String output(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
