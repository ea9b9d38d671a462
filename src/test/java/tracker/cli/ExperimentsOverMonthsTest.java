package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.store.Schema;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * What a group needs after a year of sweeps: list by tag and by activity, links between
 * experiments (derived_from) and runs (init_from) shown from both ends, and a database whose layout
 * is upgraded forward (and never written by an older tracker). Each test has a database of its own:
 * list and the schema are about the whole database.
 */
class ExperimentsOverMonthsTest {
    @RegisterExtension
    final TestDatabase db = TestDatabase.perTest();

    @TempDir
    Path tmp;

    CliRun cli() {
        return CliRun.in(tmp).database(db);
    }

    Path definition(String name, String extra) throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [d]
                models:
                  m: {datasets: [d], params: {lr: [0.1, 0.01, 0.001, 0.0001]}}
                search: {method: grid}
                """.formatted(name) + extra);
        return f;
    }

    CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String... args) {
        List<String> all = new ArrayList<>(List.of("list", "-o", "json"));
        all.addAll(List.of(args));
        return (List<Map<String, Object>>) (List<?>) Json.parse(ok(cli().run(all.toArray(String[]::new))).out().strip());
    }

    /** Claims a run of the experiment and returns a worker environment holding it. */
    CliRun claim(String experiment) {
        Map<String, Object> c = Json.parseObject(ok(cli().run("next", "-e", experiment, "-o", "json")).out().strip());
        return cli().env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
    }

    @Test
    void list_shows_tags_and_description_filters_by_tag_and_sorts_by_creation_or_activity() throws Exception {
        ok(cli().run("create", definition("alpha", "description: the first baseline\ntags: [baseline, paper]\n").toString()));
        Thread.sleep(20);
        ok(cli().run("create", definition("beta", "tags: [paper]\n").toString()));
        Thread.sleep(20);
        ok(cli().run("create", definition("gamma", "").toString()));

        assertThat(list()).extracting(m -> m.get("id")).containsExactly("alpha@1", "beta@1", "gamma@1");
        assertThat(list("--tag", "paper")).extracting(m -> m.get("id")).containsExactly("alpha@1", "beta@1");
        assertThat(list("--tag", "paper", "--tag", "baseline")).extracting(m -> m.get("id")).containsExactly("alpha@1");
        assertThat(list("--sort", "created")).extracting(m -> m.get("id")).containsExactly("gamma@1", "beta@1", "alpha@1");
        assertThat(list().get(0)).containsEntry("description", "the first baseline").containsEntry("tags", List.of("baseline", "paper"));

        // Activity: a run of the oldest ends now, so it is the most recently active.
        Thread.sleep(20);
        CliRun w = claim("alpha");
        ok(w.run("log", "--epoch", "1", "val.acc=0.5"));
        ok(w.run("end", "--status", "completed"));
        assertThat(list("--sort", "activity")).extracting(m -> m.get("id")).containsExactly("alpha@1", "gamma@1", "beta@1");
        // A live lease counts too: beta's worker is running now.
        Thread.sleep(20);
        claim("beta");
        assertThat(list("--sort", "activity").get(0)).containsEntry("id", "beta@1");

        CliRun.Result table = ok(cli().env("COLUMNS", "200").run("list", "--sort", "activity"));
        assertThat(table.out()).contains("ACTIVE").contains("TAGS").contains("DESCRIPTION")
                .containsPattern("alpha@1 .* baseline,paper +the first baseline");
        assertThat(ok(cli().run("list", "--tag", "nothing")).err()).contains("no experiment has the tag nothing");
        assertThat(ok(cli().run("list", "-o", "names", "--tag", "baseline")).out()).isEqualTo("alpha\n");
    }

    @Test
    void derived_from_names_an_existing_version_and_show_prints_both_ends() throws Exception {
        ok(cli().run("create", definition("base", "").toString()));
        CliRun.Result missing = cli().run("create", definition("child", "derived_from: bsae@1\n").toString());
        assertThat(missing.code()).isEqualTo(7);
        assertThat(missing.err()).contains("derived_from names bsae@1, which does not exist").contains("did you mean 'base'?");
        CliRun.Result bad = cli().run("create", definition("child", "derived_from: base\n").toString());
        assertThat(bad.code()).isEqualTo(9);
        assertThat(bad.err()).contains("derived_from names an experiment version, NAME@N");

        ok(cli().run("create", definition("child", "derived_from: base@1\n").toString()));
        assertThat(ok(cli().run("show", "child")).out()).contains("# derived from base@1\n");
        assertThat(ok(cli().run("show", "base")).out()).contains("# derived into child@1\n");
        assertThat(Json.parseObject(ok(cli().run("show", "base", "-o", "json")).out().strip())).containsEntry("derivations", List.of("child@1"));
        // The link is part of the definition: the same file reconnects, and show -o yaml writes it.
        assertThat(ok(cli().run("show", "child", "-o", "yaml")).out()).contains("derived_from: base@1\n");
        assertThat(ok(cli().run("create", definition("child", "derived_from: base@1\n").toString())).err()).contains("reconnected");
    }

    @Test
    void init_from_links_two_runs_both_ways_and_takes_a_uri_too() throws Exception {
        ok(cli().run("create", definition("pre", "").toString()));
        ok(cli().run("create", definition("fine", "").toString()));
        CliRun source = claim("pre");
        String sourceRun = source.env("TRACKER_RUN");
        ok(source.run("log", "--epoch", "1", "val.acc=0.9"));
        ok(source.run("end", "--status", "completed"));

        CliRun a = claim("fine");
        ok(a.run("log", "--epoch", "1", "val.acc=0.5", "--init-from", sourceRun));
        CliRun b = claim("fine");
        // the trainer-line protocol says the same with init_from
        ok(withStdin("{\"init_from\": \"" + sourceRun + "\", \"epoch\": 1, \"val\": {\"acc\": 0.6}}\n", () -> b.run("log", "--stdin")));

        CliRun.Result shown = ok(cli().run("show", sourceRun));
        assertThat(shown.out()).containsPattern("initialized +" + java.util.regex.Pattern.quote(
                String.join(", ", List.of(a.env("TRACKER_RUN"), b.env("TRACKER_RUN")).stream().sorted().toList())) + " \\(started from this run\\)");
        assertThat(ok(cli().run("show", a.env("TRACKER_RUN"))).out()).containsPattern("init from +" + java.util.regex.Pattern.quote(sourceRun));
        Map<String, Object> json = Json.parseObject(ok(cli().run("show", sourceRun, "-o", "json")).out().strip());
        assertThat((List<?>) json.get("initializedRuns")).hasSize(2);

        // A URI of weights from elsewhere is recorded as it is; a run id that names nothing is refused.
        CliRun c = claim("fine");
        ok(c.run("log", "--init-from", "s3://bucket/resnet50.pt"));
        assertThat(ok(cli().run("show", c.env("TRACKER_RUN"))).out()).containsPattern("init from +s3://bucket/resnet50\\.pt");
        CliRun.Result nothing = c.run("log", "--init-from", "pre@1/m/d/99");
        assertThat(nothing.code()).isEqualTo(7);
        assertThat(nothing.err()).contains("init_from names run pre@1/m/d/99, which does not exist");
    }

    /** Runs a command with this text as standard input (as LogCommandTest does). */
    private static synchronized CliRun.Result withStdin(String input, java.util.function.Supplier<CliRun.Result> command) {
        java.io.InputStream before = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void an_older_layout_is_upgraded_forward_once_by_any_number_of_processes() throws Exception {
        ok(cli().run("create", definition("old", "description: from last year\ntags: [legacy]\n").toString()));
        CliRun w = claim("old");
        ok(w.run("log", "--epoch", "1", "val.acc=0.5"));
        ok(w.run("end", "--status", "completed"));
        // What the previous layout wrote: no schema document, no description/tags on the experiment, no page ends.
        db.mongo().getCollection("meta").deleteMany(new Document());
        db.mongo().getCollection("experiments").updateMany(new Document(),
                Updates.combine(Updates.unset("description"), Updates.unset("tags"), Updates.unset("derivedFrom")));
        db.mongo().getCollection("results").updateMany(new Document(), Updates.unset("last"));

        // Eight processes' worth of commands at once: every one upgrades, the end state is the same.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<CliRun.Result>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(pool.submit(() -> cli().run("list", "-o", "json", "--tag", "legacy")));
        }
        for (Future<CliRun.Result> f : all) {
            assertThat(Json.parse(ok(f.get()).out().strip()).toString()).contains("old@1");
        }
        pool.shutdown();
        Document schema = db.mongo().getCollection("meta").find(Filters.eq("_id", "schema")).first();
        assertThat(schema.getInteger("version")).isEqualTo(Schema.CURRENT);
        Document exp = db.mongo().getCollection("experiments").find(Filters.eq("_id", "old@1")).first();
        assertThat(exp.getString("description")).isEqualTo("from last year");
        assertThat(exp.getList("tags", String.class)).containsExactly("legacy");
        assertThat(db.mongo().getCollection("results").find(Filters.exists("last")).first()).isNotNull();
        assertThat(list("--sort", "activity").get(0).get("lastActivity")).isNotNull();
    }

    @Test
    void a_database_of_a_newer_tracker_is_read_but_never_written() throws Exception {
        ok(cli().run("create", definition("future", "").toString()));
        db.mongo().getCollection("meta").updateOne(Filters.eq("_id", "schema"), Updates.set("version", Schema.CURRENT + 1));
        long runsBefore = db.mongo().getCollection("runs").countDocuments();

        CliRun.Result next = cli().run("next", "-e", "future");
        assertThat(next.code()).isEqualTo(11);
        assertThat(next.err()).contains("this database was written by a newer tracker (schema " + (Schema.CURRENT + 1))
                .contains("nothing was written").contains("upgrade tracker");
        assertThat(cli().run("create", definition("another", "").toString()).code()).isEqualTo(11);
        assertThat(cli().run("status", "-e", "future", "--repair").code()).isEqualTo(11);
        assertThat(db.mongo().getCollection("runs").countDocuments()).isEqualTo(runsBefore);
        assertThat(db.mongo().getCollection("experiments").countDocuments(Filters.eq("name", "another"))).isZero();

        CliRun.Result report = ok(cli().run("report", "-e", "future"));
        assertThat(report.err()).contains("warning: this database was written by a newer tracker");
        ok(cli().run("list"));
        ok(cli().run("export", "-e", "future"));
        assertThat(db.mongo().getCollection("meta").find(Filters.eq("_id", "schema")).first().getInteger("version"))
                .as("an older tracker never lowers it").isEqualTo(Schema.CURRENT + 1);
    }
}
