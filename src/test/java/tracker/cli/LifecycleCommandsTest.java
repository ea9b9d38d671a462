package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * delete, archive, unarchive and gc through the CLI, checked against what is stored in every
 * collection: a delete removes exactly the documents of its experiment version, an archived
 * experiment is read-only but readable, gc removes orphans and never a live experiment's documents.
 */
class LifecycleCommandsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Every collection that holds documents of an experiment (besides the experiment itself). */
    static final List<String> DEPENDENTS = List.of("cells", "runs", "metrics", "steps", "results", "trials", "rungs");

    /** Adaptive search with early stopping, so that trials and rungs are written too: 3 trials on 2 datasets. */
    static final String DEFINITION = """
            name: %s
            objective: {metric: score, phase: val, goal: maximize}
            datasets: [a, b]
            models:
              m:
                datasets: [a, b]
                params:
                  lr: {distribution: log_uniform, min: 1.0e-5, max: 1.0e-1}
            search: {method: tpe, trials: 3, startup: 1, seed: 5, early_stopping: {method: asha, min_epochs: 1, eta: 3}}
            runs: {lease: 1s, max_attempts: 50}
            command: echo {args}
            """;

    @TempDir
    static Path tmp;

    // ---- delete ---------------------------------------------------------------------------------

    @Test
    void delete_removes_every_document_of_the_version_from_every_collection_and_nothing_of_another() throws IOException {
        populate("del-a");
        populate("del-b");
        Map<String, Long> a = documentsOf(DB.mongo(), "del-a@1");
        Map<String, Long> b = documentsOf(DB.mongo(), "del-b@1");
        for (String coll : DEPENDENTS) {
            assertThat(a.get(coll)).as("the setup writes to " + coll + ": " + a).isPositive();
        }

        CliRun.Result refused = cli().run("delete", "-e", "del-a", "--yes");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(8);
        assertThat(refused.err()).contains("1 run in flight").contains("--force");
        assertThat(documentsOf(DB.mongo(), "del-a@1")).as("a refused delete changes nothing").isEqualTo(a);

        CliRun.Result r = ok("delete", "-e", "del-a", "--yes", "--force", "-o", "json");
        Map<String, Object> out = Json.parseObject(r.out().strip());
        @SuppressWarnings("unchecked")
        Map<String, Object> removed = (Map<String, Object>) out.get("removed");
        for (String coll : DEPENDENTS) {
            assertThat(removed.get(coll)).as(coll + " in " + out).isEqualTo(a.get(coll));
        }
        assertThat(removed.get("experiments")).isEqualTo(1L);
        assertThat((Long) out.get("bytes")).isPositive();

        Map<String, Long> gone = documentsOf(DB.mongo(), "del-a@1");
        assertThat(gone.values()).as("nothing of del-a@1 is left: " + gone).containsOnly(0L);
        assertThat(documentsOf(DB.mongo(), "del-b@1")).as("del-b@1 is untouched").isEqualTo(b);
        assertThat(cli().run("status", "-e", "del-b").code()).isZero();

        // The name is free again: a new create starts at version 1.
        CliRun.Result again = ok("create", definition("del-a").toString(), "-o", "json");
        assertThat(again.out()).contains("del-a@1");
    }

    @Test
    void delete_refuses_without_yes_when_stdin_is_not_a_terminal_and_names_a_close_experiment_when_unknown() throws IOException {
        create("del-c");
        CliRun.Result r = cli().run("delete", "-e", "del-c");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("stdin is not a terminal").contains("--yes");
        assertThat(DB.mongo().getCollection("experiments").find(Filters.eq("_id", "del-c@1")).first()).isNotNull()
                .satisfies(d -> assertThat(d.get("deleting")).isNull());

        CliRun.Result unknown = cli().run("delete", "-e", "del-cc", "--yes");
        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(7);
        assertThat(unknown.err()).contains("did you mean 'del-c'");
    }

    @Test
    void the_confirmation_is_the_experiment_id_typed_exactly() {
        assertThat(DeleteCommand.confirmed("mnist@2\n", "mnist@2")).isTrue();
        assertThat(DeleteCommand.confirmed(" mnist@2 ", "mnist@2")).isTrue();
        assertThat(DeleteCommand.confirmed("y", "mnist@2")).isFalse();
        assertThat(DeleteCommand.confirmed("mnist", "mnist@2")).isFalse();
        assertThat(DeleteCommand.confirmed(null, "mnist@2")).isFalse();
    }

    @Test
    void a_delete_cut_short_is_hidden_refused_and_finished_by_delete_again() throws IOException {
        populate("del-d");
        // the state a delete leaves when it dies right after its commit point
        DB.mongo().getCollection("experiments").updateOne(Filters.eq("_id", "del-d@1"), Updates.set("deleting", new Date()));
        assertThat(listedIds("list")).doesNotContain("del-d@1");
        CliRun.Result next = cli().run("next", "-e", "del-d");
        assertThat(next.code()).as(next.toString()).isEqualTo(8);
        assertThat(next.err()).contains("is being deleted");
        CliRun.Result report = cli().run("report", "-e", "del-d");
        assertThat(report.err()).as(report.toString()).contains("is being deleted");
        CliRun.Result create = cli().run("create", definition("del-d").toString());
        assertThat(create.code()).as("no create into a half-deleted version: " + create).isEqualTo(8);

        ok("delete", "-e", "del-d@1"); // no --yes needed to finish
        assertThat(documentsOf(DB.mongo(), "del-d@1").values()).containsOnly(0L);
    }

    // ---- archive ----------------------------------------------------------------------------------

    @Test
    void an_archived_experiment_is_hidden_read_only_and_still_reported() throws IOException {
        Map<String, Object> inFlight = populate("arc-a");
        create("arc-b");
        CliRun.Result refused = cli().run("archive", "-e", "arc-a");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(8);
        assertThat(refused.err()).contains("1 run in flight").contains("--force");

        Map<String, Object> archived = Json.parseObject(ok("archive", "-e", "arc-a", "--force", "-o", "json").out().strip());
        assertThat(archived).containsEntry("cancelled", 1L);
        assertThat(listedIds("list")).contains("arc-b@1").doesNotContain("arc-a@1");
        assertThat(listedIds("list", "--archived")).containsExactly("arc-a@1");
        assertThat(listedIds("list", "--all")).contains("arc-a@1", "arc-b@1");
        assertThat(ok("list", "--all").out()).contains("arc-a@1 (archived)");

        Map<String, Long> before = documentsOf(DB.mongo(), "arc-a@1");
        for (String[] args : List.of(
                new String[] {"next", "-e", "arc-a"},
                new String[] {"requeue", "-e", "arc-a"},
                new String[] {"cancel", "-e", "arc-a"},
                new String[] {"create", "--extend", extended("arc-a").toString()})) {
            CliRun.Result r = cli().run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r).isEqualTo(8);
            assertThat(r.err()).as(String.join(" ", args)).contains("archived; unarchive it first");
        }
        String run = (String) inFlight.get("run");
        String token = (String) inFlight.get("token");
        for (String[] args : List.of(
                new String[] {"log", "--run", run, "--token", token, "--epoch", "3", "val.score=0.9"},
                new String[] {"heartbeat", "--run", run, "--token", token},
                new String[] {"end", "--run", run, "--token", token, "--status", "completed"})) {
            CliRun.Result r = cli().run(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r).isEqualTo(6);
            assertThat(r.err()).contains("archived; unarchive it first");
        }
        assertThat(documentsOf(DB.mongo(), "arc-a@1")).as("nothing written to an archived experiment").isEqualTo(before);

        assertThat(ok("status", "-e", "arc-a").out()).isNotBlank();
        assertThat(ok("report", "-e", "arc-a").out()).isNotBlank();
        assertThat(ok("show", "arc-a").out()).isNotBlank();
        assertThat(ok("export", "-e", "arc-a").out().lines().count()).isEqualTo(1 + 6);

        ok("unarchive", "-e", "arc-a");
        assertThat(listedIds("list")).contains("arc-a@1");
        assertThat(ok("next", "-e", "arc-a").out()).contains("arc-a@1/");
        assertThat(ok("requeue", "-e", "arc-a", "--status", "cancelled").out().strip()).isEqualTo("1");
    }

    // ---- gc -----------------------------------------------------------------------------------------

    @Test
    void gc_removes_orphans_and_finishes_stuck_deletes_says_how_many_bytes_and_never_touches_a_live_experiment() throws IOException {
        populate("gc-live");
        populate("gc-stuck");
        DB.mongo().getCollection("experiments").updateOne(Filters.eq("_id", "gc-stuck@1"), Updates.set("deleting", new Date()));
        // An experiment being planned right now: its document exists, its runs are being inserted.
        DB.mongo().getCollection("experiments").insertOne(new Document("_id", "gc-planning@1").append("name", "gc-planning")
                .append("version", 1).append("state", "planning").append("planned", 1L));
        DB.mongo().getCollection("runs").insertOne(new Document("_id", "gc-planning@1/m/a/0").append("experiment", "gc-planning@1")
                .append("status", "pending"));
        long orphanBytes = insertOrphans(DB.mongo(), "gc-ghost@3");
        Map<String, Long> stuck = documentsOf(DB.mongo(), "gc-stuck@1");
        long stuckBytes = bytesOf(DB.mongo(), "gc-stuck@1");
        Map<String, Long> live = documentsOf(DB.mongo(), "gc-live@1");
        Map<String, Long> planning = documentsOf(DB.mongo(), "gc-planning@1");

        Map<String, Object> dry = Json.parseObject(ok("gc", "--dry-run", "-o", "json").out().strip());
        assertThat(dry.get("orphaned")).isEqualTo(List.of("gc-ghost@3"));
        assertThat(dry.get("finishedDeletes")).isEqualTo(List.of("gc-stuck@1"));
        assertThat(dry.get("totalBytes")).isEqualTo(orphanBytes + stuckBytes);
        assertThat(documentsOf(DB.mongo(), "gc-ghost@3").get("runs")).as("a dry run removes nothing").isEqualTo(1L);

        CliRun.Result r = ok("gc", "-o", "json");
        Map<String, Object> done = Json.parseObject(r.out().strip());
        assertThat(done.get("orphaned")).isEqualTo(List.of("gc-ghost@3"));
        assertThat(done.get("finishedDeletes")).isEqualTo(List.of("gc-stuck@1"));
        assertThat(done.get("totalBytes")).as(r.toString()).isEqualTo(orphanBytes + stuckBytes);
        @SuppressWarnings("unchecked")
        Map<String, Object> removed = (Map<String, Object>) done.get("removed");
        for (String coll : DEPENDENTS) {
            assertThat(removed.get(coll)).as(coll).isEqualTo(1L + stuck.get(coll));
        }
        assertThat(documentsOf(DB.mongo(), "gc-ghost@3").values()).containsOnly(0L);
        assertThat(documentsOf(DB.mongo(), "gc-stuck@1").values()).containsOnly(0L);
        assertThat(documentsOf(DB.mongo(), "gc-live@1")).isEqualTo(live);
        assertThat(documentsOf(DB.mongo(), "gc-planning@1")).isEqualTo(planning);

        Map<String, Object> nothing = Json.parseObject(ok("gc", "-o", "json").out().strip());
        assertThat(nothing.get("totalBytes")).as("a second gc finds nothing").isEqualTo(0L);
        assertThat(ok("gc").err()).contains("found 0 orphaned experiment ids");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * Creates the experiment and works on it: two runs completed with epochs and steps (so
     * metrics, steps, results, trials and rungs exist), a third claimed and logged, left running.
     * Returns the claim of the running one.
     */
    private static Map<String, Object> populate(String name) throws IOException {
        create(name);
        Map<String, Object> last = null;
        for (int i = 0; i < 3; i++) {
            last = Json.parseObject(ok("next", "-e", name, "--dataset", "a").out().strip());
            String run = (String) last.get("run");
            String token = (String) last.get("token");
            ok("log", "--run", run, "--token", token, "--step", "10", "train.loss=0.9");
            ok("log", "--run", run, "--token", token, "--epoch", "1", "val.score=0." + (5 + i));
            if (i < 2) {
                ok("end", "--run", run, "--token", token, "--status", "completed");
            }
        }
        return last;
    }

    private static void create(String name) throws IOException {
        ok("create", definition(name).toString());
    }

    private static Path definition(String name) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, DEFINITION.formatted(name));
        return f;
    }

    private static Path extended(String name) throws IOException {
        Path f = tmp.resolve(name + "-more.yaml");
        Files.writeString(f, DEFINITION.formatted(name).replace("trials: 3", "trials: 4"));
        return f;
    }

    /** Documents of an experiment per collection, counted by their _id range (its id and a slash). */
    static Map<String, Long> documentsOf(MongoDatabase db, String experimentId) {
        Map<String, Long> out = new TreeMap<>();
        for (String coll : DEPENDENTS) {
            out.put(coll, db.getCollection(coll).countDocuments(Filters.regex("_id", "^" + java.util.regex.Pattern.quote(experimentId + "/"))));
        }
        out.put("experiments", db.getCollection("experiments").countDocuments(Filters.eq("_id", experimentId)));
        return out;
    }

    /** The BSON size of every document of an experiment, the experiment's own included. */
    static long bytesOf(MongoDatabase db, String experimentId) {
        long n = 0;
        for (String coll : DEPENDENTS) {
            for (RawBsonDocument d : db.getCollection(coll, RawBsonDocument.class)
                    .find(Filters.regex("_id", "^" + java.util.regex.Pattern.quote(experimentId + "/")))) {
                n += d.getByteBuffer().remaining();
            }
        }
        RawBsonDocument e = db.getCollection("experiments", RawBsonDocument.class).find(Filters.eq("_id", experimentId)).first();
        return n + (e == null ? 0 : e.getByteBuffer().remaining());
    }

    /** One document in every dependent collection for an experiment that does not exist; their BSON bytes. */
    static long insertOrphans(MongoDatabase db, String experimentId) {
        String cell = experimentId + "/m/a";
        Map<String, Document> docs = Map.of(
                "cells", new Document("_id", cell).append("experiment", experimentId).append("size", 1),
                "runs", new Document("_id", cell + "/0").append("experiment", experimentId).append("status", "completed"),
                "metrics", new Document("_id", cell + "/a0#a1").append("experiment", experimentId).append("v", new Document("val", new Document("score", 0.5))),
                "steps", new Document("_id", cell + "/a0#b10").append("experiment", experimentId).append("step", 10),
                "results", new Document("_id", cell + "#0").append("experiment", experimentId).append("page", 0),
                "trials", new Document("_id", cell + "#0").append("experiment", experimentId).append("trial", 0),
                "rungs", new Document("_id", cell + "#1#0").append("cell", cell).append("epoch", 1));
        docs.forEach((coll, d) -> db.getCollection(coll).insertOne(d));
        return bytesOf(db, experimentId);
    }

    @SuppressWarnings("unchecked")
    private static List<String> listedIds(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        List<String> ids = new ArrayList<>();
        for (Object e : (List<Object>) Json.parse(ok(all.toArray(String[]::new)).out().strip())) {
            ids.add((String) ((Map<String, Object>) e).get("id"));
        }
        return ids;
    }

    private static CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    private static CliRun.Result ok(String... args) {
        CliRun.Result r = cli().run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }
}
