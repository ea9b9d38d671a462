package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.bson.Document;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.mongodb.client.model.Filters;

import tracker.json.Json;
import tracker.store.StoredData;
import tracker.testing.CliRun;
import tracker.testing.CutProxy;
import tracker.testing.TestDatabase;

/**
 * A command killed right after any one of its writes reached the server - for every command that
 * writes more than once, and for every k - leaves nothing lost: healthy workers that drain the
 * experiment afterwards complete every planned run exactly once, and status, report and export
 * agree with the runs, without any repair by hand.
 *
 * <p>Each case runs the command once uncut through a {@link CutProxy} to count its writes n, then
 * for k = 0..n on a fresh experiment: sets up the state the command needs, runs it cut after its
 * k-th write (the write applied, its reply and everything after lost, as when the process dies),
 * lets the rest of that worker's life go on where a real one would (a shell loop's {@code end}
 * after a killed {@code log}), drains, and checks.
 */
@Execution(ExecutionMode.CONCURRENT) // the cases wait for leases and timeouts, mostly: in parallel they take a third of the time
class CutCommandsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Four runs: two settings on two datasets; leases of a second, so a drain waits little. */
    private static final String DEFINITION = """
            name: %s
            objective: {metric: acc, goal: maximize}
            datasets: [iris, wine]
            models:
              mlp: {datasets: [iris, wine], params: {lr: [0.1, 0.01]}}
            search: {method: grid}
            runs: {lease: 1s, max_attempts: 50}
            """;
    private static final int RUNS = 4;

    @TempDir
    static Path tmp;

    private static final java.util.concurrent.atomic.AtomicInteger EXPERIMENTS = new java.util.concurrent.atomic.AtomicInteger();

    /** One experiment of a case: its name and the worker that claimed a run in the setup, if any. */
    record Experiment(String name, Path file, Map<String, Object> claim) {
        String[] worker(String... args) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--run", (String) claim.get("run"), "--token", (String) claim.get("token")));
            return all.toArray(String[]::new);
        }
    }

    /** A command to cut: the state it needs, its arguments, and what its worker does after it died. */
    record Case(String label, Function<Experiment, Experiment> setup, Function<Experiment, String[]> command,
                Function<Experiment, String[]> afterwards, Consumer<Experiment> finished, String definition) {
        Case(String label, Function<Experiment, Experiment> setup, Function<Experiment, String[]> command,
             Function<Experiment, String[]> afterwards, Consumer<Experiment> finished) {
            this(label, setup, command, afterwards, finished, DEFINITION);
        }

        Case(String label, Function<Experiment, Experiment> setup, Function<Experiment, String[]> command,
             Function<Experiment, String[]> afterwards) {
            this(label, setup, command, afterwards, e -> { });
        }

        /** The same case on another definition (its own search section). */
        Case on(String search) {
            return new Case(label, setup, command, afterwards, finished, DEFINITION.replace("search: {method: grid}", search));
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("next (fresh)", e -> e, e -> new String[] {"next", "-e", e.name()}, e -> null),
                new Case("next (resumed)", e -> ended(claimed(e), "preempted"), e -> new String[] {"next", "-e", e.name()}, e -> null),
                new Case("next (expired lease)", e -> expired(claimed(e)), e -> new String[] {"next", "-e", e.name()}, e -> null),
                new Case("end completed", e -> logged(claimed(e)), e -> e.worker("end", "--status", "completed"), e -> null),
                new Case("end failed", e -> logged(claimed(e)), e -> e.worker("end", "--status", "failed"), e -> null),
                new Case("end cancelled", e -> logged(claimed(e)), e -> e.worker("end", "--status", "cancelled"), e -> null),
                new Case("end preempted", e -> logged(claimed(e)), e -> e.worker("end", "--status", "preempted"), e -> null),
                new Case("requeue", e -> ended(logged(claimed(e)), "failed"), e -> new String[] {"requeue", "-e", e.name()}, e -> null),
                new Case("cancel pending", e -> e, e -> new String[] {"cancel", "-e", e.name(), "--dataset", "wine"}, e -> null),
                new Case("cancel running", e -> logged(claimed(e)), e -> new String[] {"cancel", "-e", e.name(), "--running"}, e -> null),
                new Case("create", e -> e, e -> new String[] {"create", e.file().toString()}, e -> new String[] {"create", e.file().toString()}),
                // Run again after the cut, the command finishes the change; the drain then checks that a
                // boosted position, handed out first from resume and again when next reaches it, runs once.
                new Case("priority (cells)", e -> e, e -> new String[] {"priority", "-e", e.name(), "--dataset", "wine", "5"},
                        e -> new String[] {"priority", "-e", e.name(), "--dataset", "wine", "5"},
                        e -> {
                            for (String cell : List.of("mlp/iris", "mlp/wine")) {
                                assertThat(cellOf(e, cell).getInteger("priority")).as(cell).isEqualTo(cell.endsWith("wine") ? 5 : 0);
                            }
                        }),
                new Case("priority (run)", e -> e, e -> new String[] {"priority", "-e", e.name(), "--run", e.name() + "@1/mlp/wine/1", "5"},
                        e -> new String[] {"priority", "-e", e.name(), "--run", e.name() + "@1/mlp/wine/1", "5"},
                        e -> {
                            Document cell = cellOf(e, "mlp/wine");
                            assertThat(cell.getList("resume", Integer.class)).as(cell.toJson()).containsExactly(1);
                            assertThat(cell.get("boosts", Document.class)).as(cell.toJson()).isEqualTo(new Document("1", 5));
                            Map<String, Object> first = Json.parseObject(ok(cli().run("next", "-e", e.name())).out().strip());
                            assertThat(first.get("run")).isEqualTo(e.name() + "@1/mlp/wine/1");
                            Experiment w = new Experiment(e.name(), e.file(), first);
                            ok(cli().run(w.worker("log", "--epoch", "1", "val.acc=0.6", "train.loss=0.8")));
                            ok(cli().run(w.worker("log", "--epoch", "2", "val.acc=0.8", "train.loss=0.3")));
                            ok(cli().run(w.worker("end", "--status", "completed")));
                        }),
                new Case("log (new epochs)", CutCommandsTest::claimed,
                        e -> e.worker("log", "--epoch", "1", "val.acc=0.5", "train.loss=0.9"),
                        e -> e.worker("end", "--status", "completed")),
                new Case("log (an epoch again, worse)", e -> logged(claimed(e)),
                        e -> e.worker("log", "--epoch", "2", "val.acc=0.55", "train.loss=0.4"),
                        e -> e.worker("end", "--status", "completed")),
                // Under adaptive search a claim also chooses the trial's setting: its trial document, then the run's params.
                new Case("next (tpe)", e -> e, e -> new String[] {"next", "-e", e.name()}, e -> null)
                        .on("search: {method: tpe, trials: 2}"),
                // Under early stopping a log also writes the epoch's value to its rung before judging it (kept here:
                // the worst value of the cell comes first, judged against no one; the drain's runs do better).
                new Case("log (early stopping)", CutCommandsTest::claimed,
                        e -> e.worker("log", "--epoch", "1", "val.acc=0.3", "train.loss=0.9"),
                        e -> e.worker("end", "--status", "completed"))
                        .on("search: {method: grid, early_stopping: {method: median, min_epochs: 1, min_runs: 1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void a_command_killed_after_any_of_its_writes_loses_nothing(Case c) throws Exception {
        int writes;
        try (CutProxy proxy = CutProxy.to(DB.uri())) {
            Experiment e = c.setup().apply(fresh(c));
            CliRun.Result uncut = through(proxy).run(c.command().apply(e));
            assertThat(uncut.code()).as(uncut.toString()).isZero();
            writes = proxy.writes();
        }
        assertThat(writes).as("writes of " + c).isGreaterThan(1);
        for (int k = 0; k <= writes; k++) {
            Experiment e = c.setup().apply(fresh(c));
            try (CutProxy proxy = CutProxy.to(DB.uri())) {
                proxy.cutAfter(k);
                CliRun.Result cut = through(proxy).run(c.command().apply(e));
                assertThat(cut.code()).as("cut after write %d: %s", k, cut).isNotZero();
            }
            String[] afterwards = c.afterwards().apply(e);
            if (afterwards != null) {
                cli().run(afterwards); // may fail (the run may be lost to a lease by now); nothing may be lost either way
            }
            c.finished().accept(e);
            drainAndCheck(e, c + ", cut after write " + k + " of " + writes);
        }
    }

    // ---- setups -----------------------------------------------------------------------------------

    private static Experiment fresh(Case c) {
        String name = "cut-" + EXPERIMENTS.incrementAndGet();
        Path file = tmp.resolve(name + ".yaml");
        try {
            Files.writeString(file, c.definition().formatted(name));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        Experiment e = new Experiment(name, file, null);
        if (!c.label().equals("create")) {
            ok(cli().run("create", file.toString()));
        }
        return e;
    }

    private static Experiment claimed(Experiment e) {
        CliRun.Result r = ok(cli().run("next", "-e", e.name()));
        return new Experiment(e.name(), e.file(), Json.parseObject(r.out().strip()));
    }

    private static Experiment logged(Experiment e) {
        ok(cli().run(e.worker("log", "--epoch", "1", "val.acc=0.5", "train.loss=0.9")));
        ok(cli().run(e.worker("log", "--epoch", "2", "val.acc=0.7", "train.loss=0.5")));
        return e;
    }

    private static Experiment ended(Experiment e, String how) {
        ok(cli().run(e.worker("end", "--status", how)));
        return e;
    }

    private static Experiment expired(Experiment e) {
        sleep(1100);
        return e;
    }

    // ---- the drain and what must hold after it ----------------------------------------------------

    /**
     * Healthy workers take every run there is (waiting for leases and entries that a cut left), then
     * failed and cancelled runs are requeued and drained too: every run must end completed once.
     */
    private static void drainAndCheck(Experiment e, String what) {
        for (int round = 0; round < 3; round++) {
            drain(e, what);
            checkCountsAgree(e, what);
            cli().run("requeue", "-e", e.name());
        }
        drain(e, what);
        checkCountsAgree(e, what);
        for (Document r : DB.mongo().getCollection("runs").find(Filters.eq("experiment", e.name() + "@1"))) {
            assertThat(r.getString("status")).as(what + ": " + r.toJson()).isEqualTo("completed");
            long completions = r.getList("history", Document.class).stream().filter(h -> "completed".equals(h.getString("how"))).count();
            assertThat(completions).as(what + ": completed once: " + r.toJson()).isEqualTo(1);
            checkSummary(r, what);
        }
        Map<String, Object> status = Json.parseObject(ok(cli().run("status", "-e", e.name(), "-o", "json")).out().strip());
        assertThat(status.get("runs")).as(what).isEqualTo((long) RUNS);
        assertThat((Map<String, Object>) status.get("counts")).as(what).containsEntry("completed", (long) RUNS)
                .containsEntry("pending", 0L).containsEntry("running", 0L);
        for (Document cell : DB.mongo().getCollection("cells").find(Filters.eq("experiment", e.name() + "@1"))) {
            assertThat(cell.get("running", Document.class)).as(what + ": " + cell.toJson()).isEmpty();
            assertThat(cell.getList("resume", Object.class)).as(what + ": " + cell.toJson()).isEmpty();
        }
    }

    private static void drain(Experiment e, String what) {
        for (int n = 0; n < 100; n++) {
            CliRun.Result next = cli().run("next", "-e", e.name(), "--wait");
            if (next.code() == 3) {
                return;
            }
            assertThat(next.code()).as(what + ": " + next).isZero();
            Experiment w = new Experiment(e.name(), e.file(), Json.parseObject(next.out().strip()));
            ok(cli().run(w.worker("log", "--epoch", "1", "val.acc=0.6", "train.loss=0.8")));
            ok(cli().run(w.worker("log", "--epoch", "2", "val.acc=0.8", "train.loss=0.3")));
            ok(cli().run(w.worker("end", "--status", "completed")));
        }
        throw new AssertionError(what + ": the drain did not end");
    }

    /** What status counts, what the report counts and what the runs say are the same. */
    @SuppressWarnings("unchecked")
    private static void checkCountsAgree(Experiment e, String what) {
        Map<String, Long> actual = new java.util.TreeMap<>();
        for (Document r : DB.mongo().getCollection("runs").find(Filters.eq("experiment", e.name() + "@1"))) {
            actual.merge(r.getString("status"), 1L, Long::sum);
        }
        Map<String, Object> counts = (Map<String, Object>) Json.parseObject(
                ok(cli().run("status", "-e", e.name(), "-o", "json")).out().strip()).get("counts");
        for (String s : List.of("completed", "failed", "cancelled")) {
            assertThat(counts.get(s)).as(what + ": status counts " + s + " " + counts + " vs runs " + actual).isEqualTo(actual.getOrDefault(s, 0L));
        }
        Map<String, Object> progress = Json.parseObject(ok(cli().run("report", "-e", e.name(), "--view", "progress", "-o", "json")).out().strip());
        Map<String, Object> total = (Map<String, Object>) progress.get("overall");
        for (String s : List.of("completed", "failed", "cancelled")) {
            assertThat(total.get(s)).as(what + ": report " + s + " " + total + " vs runs " + actual).isEqualTo(actual.getOrDefault(s, 0L));
        }
        String csv = ok(cli().run("export", "-e", e.name())).out();
        assertThat(csv.lines().skip(1).count()).as(what + ": export rows").isEqualTo(RUNS);
        for (String s : List.of("completed", "failed", "cancelled")) {
            assertThat(csv.lines().filter(l -> l.contains("," + s + ",")).count()).as(what + ": export " + s)
                    .isEqualTo(actual.getOrDefault(s, 0L));
        }
    }

    /** The run's summary is what its stored epochs give. */
    private static void checkSummary(Document run, String what) {
        List<Document> epochs = StoredData.epochs(DB.mongo(), run.getString("_id"));
        Document summary = run.get("summary", Document.class);
        Map<String, double[]> expected = new java.util.TreeMap<>(); // last, min, max
        Double best = null;
        Double last = null;
        for (Document ep : epochs) {
            for (String phase : ep.keySet()) {
                if (phase.equals("epoch")) {
                    continue;
                }
                ep.get(phase, Document.class).forEach((metric, v) -> {
                    double x = ((Number) v).doubleValue();
                    expected.merge(phase + "." + metric, new double[] {x, x, x},
                            (a, b) -> new double[] {b[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])});
                });
            }
            Document val = ep.get("val", Document.class);
            if (val != null && val.get("acc") != null) {
                last = val.getDouble("acc");
                best = best == null ? last : Math.max(best, last);
            }
        }
        if (epochs.isEmpty()) {
            assertThat(summary == null ? null : summary.get("objective")).as(what + ": nothing logged, no objective: " + run.toJson()).isNull();
            assertThat(run.getBoolean("noObjective")).as(what + ": flagged " + run.toJson()).isTrue();
            return;
        }
        expected.forEach((name, v) -> {
            String[] pm = name.split("\\.");
            Document m = summary.get("metrics", Document.class).get(pm[0], Document.class).get(pm[1], Document.class);
            assertThat(new double[] {m.getDouble("last"), m.getDouble("min"), m.getDouble("max")}).as(what + ": " + name + " in " + run.toJson())
                    .containsExactly(v);
        });
        Document objective = summary.get("objective", Document.class);
        assertThat(objective.getDouble("best")).as(what + ": best " + run.toJson()).isEqualTo(best);
        assertThat(objective.getDouble("last")).as(what + ": last " + run.toJson()).isEqualTo(last);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    /** The command of a case, through the proxy; a client cut off fails within a second. */
    private static CliRun through(CutProxy proxy) {
        return CliRun.in(tmp).database(DB).env("TRACKER_URI", proxy.uri()).env("TRACKER_CONNECT_TIMEOUT", "300ms");
    }

    private static Document cellOf(Experiment e, String cell) {
        return DB.mongo().getCollection("cells").find(Filters.eq("_id", e.name() + "@1/" + cell)).first();
    }

    private static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
