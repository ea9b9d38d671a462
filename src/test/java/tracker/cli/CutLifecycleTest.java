package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.CutProxy;
import tracker.testing.TestDatabase;

/**
 * delete and gc killed right after any one of their writes reached the server, for every k: the
 * experiment being deleted is hidden and hands out nothing until the same command, run again
 * uncut, finishes the job; the end state is exactly the uncut one - every document of the deleted
 * experiment gone, the other experiment's documents as they were, and its workers still able to
 * complete every run.
 */
class CutLifecycleTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Four runs on two datasets; leases of a second, so a drain waits little for the run left in flight. */
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
    private static final AtomicInteger CASES = new AtomicInteger();

    @TempDir
    static Path tmp;

    /** One case's experiments: the one that goes away, the one that must not notice, and an orphaned id (gc). */
    record Setup(String victim, String other, String ghost, Map<String, Long> otherDocuments) {
    }

    @Test
    void a_delete_cut_after_any_write_is_hidden_and_finished_by_running_it_again() throws IOException {
        check("delete", s -> new String[] {"delete", "-e", s.victim(), "--yes", "--force"}, false);
    }

    @Test
    void a_gc_cut_after_any_write_is_finished_by_running_it_again() throws IOException {
        check("gc", s -> new String[] {"gc"}, true);
    }

    private void check(String label, java.util.function.Function<Setup, String[]> command, boolean forGc) throws IOException {
        int writes;
        try (CutProxy proxy = CutProxy.to(DB.uri())) {
            Setup s = setup(forGc);
            CliRun.Result uncut = through(proxy).run(command.apply(s));
            assertThat(uncut.code()).as(uncut.toString()).isZero();
            writes = proxy.writes();
            checkEndState(s, label + " uncut");
        }
        assertThat(writes).as("writes of " + label).isGreaterThan(2);
        int hidden = 0;
        for (int k = 0; k <= writes; k++) {
            String what = label + ", cut after write " + k + " of " + writes;
            Setup s = setup(forGc);
            try (CutProxy proxy = CutProxy.to(DB.uri())) {
                proxy.cutAfter(k);
                CliRun.Result cut = through(proxy).run(command.apply(s));
                assertThat(cut.code()).as(what + ": " + cut).isNotZero();
            }
            hidden += checkHiddenWhileDeleting(s, k, what) ? 1 : 0;
            CliRun.Result again = cli().run(command.apply(s));
            boolean gone = DB.mongo().getCollection("experiments").countDocuments(Filters.eq("_id", s.victim() + "@1")) == 0;
            // A delete cut after its very last write (the experiment document) finds nothing to finish: exit 7.
            assertThat(again.code()).as(what + ", run again: " + again).isIn(0, gone && !forGc ? 7 : 0);
            checkEndState(s, what);
        }
        // Every cut but the one before the first write and the one after the experiment's removal leaves it marked.
        assertThat(hidden).as(label + ": cuts that left a deleting experiment").isGreaterThanOrEqualTo(writes - 1);
    }

    // ---- setups -----------------------------------------------------------------------------------

    /**
     * Two experiments worked on alike (a run completed with epochs and steps, a run left in flight);
     * for gc, the victim is left as a delete cut after its commit point leaves it, and an orphaned
     * id gets a document in every collection.
     */
    private static Setup setup(boolean forGc) throws IOException {
        int n = CASES.incrementAndGet();
        String victim = "victim-" + n;
        String other = "other-" + n;
        String ghost = "ghost-" + n + "@2";
        for (String name : List.of(victim, other)) {
            Path f = tmp.resolve(name + ".yaml");
            Files.writeString(f, DEFINITION.formatted(name));
            ok(cli().run("create", f.toString()));
            work(name, true);
            work(name, false);
        }
        if (forGc) {
            DB.mongo().getCollection("experiments").updateOne(Filters.eq("_id", victim + "@1"), Updates.set("deleting", new Date()));
            LifecycleCommandsTest.insertOrphans(DB.mongo(), ghost);
        }
        return new Setup(victim, other, ghost, LifecycleCommandsTest.documentsOf(DB.mongo(), other + "@1"));
    }

    /** Claims a run, logs an epoch and a step; ends it completed or leaves it in flight. */
    private static void work(String name, boolean end) {
        Map<String, Object> c = Json.parseObject(ok(cli().run("next", "-e", name)).out().strip());
        String[] w = {"--run", (String) c.get("run"), "--token", (String) c.get("token")};
        ok(cli().run(concat(new String[] {"log", "--step", "5", "train.loss=0.9"}, w)));
        ok(cli().run(concat(new String[] {"log", "--epoch", "1", "val.acc=0.5"}, w)));
        if (end) {
            ok(cli().run(concat(new String[] {"end", "--status", "completed"}, w)));
        }
    }

    // ---- checks -----------------------------------------------------------------------------------

    /**
     * Between the cut and the re-run: once any write went through, the victim is marked deleting (the
     * mark is the first write) or gone; marked, it is not listed and hands out nothing. True when it was marked.
     */
    private static boolean checkHiddenWhileDeleting(Setup s, int k, String what) {
        Document exp = DB.mongo().getCollection("experiments").find(Filters.eq("_id", s.victim() + "@1")).first();
        if (exp == null || k == 0 && exp.get("deleting") == null) {
            return false; // cut before the mark (delete, k = 0), or after the experiment document went
        }
        assertThat(exp.get("deleting")).as(what + ": the first write of a delete marks it: " + exp.toJson()).isNotNull();
        long running = DB.mongo().getCollection("runs").countDocuments(Filters.and(Filters.eq("experiment", s.victim() + "@1"),
                Filters.eq("status", "running")));
        CliRun.Result next = cli().run("next", "-e", s.victim());
        assertThat(next.code()).as(what + ": next on a deleting experiment: " + next).isEqualTo(8);
        assertThat(next.out()).as(what).isEmpty();
        assertThat(DB.mongo().getCollection("runs").countDocuments(Filters.and(Filters.eq("experiment", s.victim() + "@1"),
                Filters.eq("status", "running")))).as(what + ": no run handed out").isEqualTo(running);
        String list = ok(cli().run("list", "-o", "json")).out();
        assertThat(list).as(what).doesNotContain(s.victim() + "@1").doesNotContain(s.ghost()).contains(s.other() + "@1");
        return true;
    }

    /** As if never cut: nothing of the victim (or the ghost) left anywhere; the other as it was, and drainable. */
    private static void checkEndState(Setup s, String what) {
        assertThat(LifecycleCommandsTest.documentsOf(DB.mongo(), s.victim() + "@1").values()).as(what + ": victim gone").containsOnly(0L);
        assertThat(LifecycleCommandsTest.documentsOf(DB.mongo(), s.ghost()).values()).as(what + ": orphans gone").containsOnly(0L);
        assertThat(LifecycleCommandsTest.documentsOf(DB.mongo(), s.other() + "@1")).as(what + ": other untouched").isEqualTo(s.otherDocuments());
        drain(s.other(), what);
        for (Document r : DB.mongo().getCollection("runs").find(Filters.eq("experiment", s.other() + "@1"))) {
            assertThat(r.getString("status")).as(what + ": " + r.toJson()).isEqualTo("completed");
            long completions = r.getList("history", Document.class).stream().filter(h -> "completed".equals(h.getString("how"))).count();
            assertThat(completions).as(what + ": completed once: " + r.toJson()).isEqualTo(1);
        }
        Map<String, Object> status = Json.parseObject(ok(cli().run("status", "-e", s.other(), "-o", "json")).out().strip());
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) status.get("counts");
        assertThat(counts).as(what).containsEntry("completed", (long) RUNS).containsEntry("running", 0L).containsEntry("pending", 0L);
    }

    /** Healthy workers take every run left (waiting out the lease of the one left in flight) and complete it. */
    private static void drain(String name, String what) {
        for (int n = 0; n < 20; n++) {
            CliRun.Result next = cli().run("next", "-e", name, "--wait");
            if (next.code() == 3) {
                return;
            }
            assertThat(next.code()).as(what + ": " + next).isZero();
            Map<String, Object> c = Json.parseObject(next.out().strip());
            String[] w = {"--run", (String) c.get("run"), "--token", (String) c.get("token")};
            ok(cli().run(concat(new String[] {"log", "--epoch", "1", "val.acc=0.6"}, w)));
            ok(cli().run(concat(new String[] {"end", "--status", "completed"}, w)));
        }
        throw new AssertionError(what + ": the drain did not end");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private static CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    /** The command of a case, through the proxy; a client cut off fails within a second. */
    private static CliRun through(CutProxy proxy) {
        return CliRun.in(tmp).database(DB).env("TRACKER_URI", proxy.uri()).env("TRACKER_CONNECT_TIMEOUT", "300ms");
    }

    private static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }
}
