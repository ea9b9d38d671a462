package tracker.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/** {@code tracker keys create|list|revoke}: a key is shown once, stored as a hash, and never echoed. */
class KeysCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    private CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void create_prints_the_key_once_and_stores_only_its_hash() {
        CliRun cli = CliRun.in(tmp).database(DB);
        CliRun.Result r = ok(cli.run("keys", "create", "--role", "worker", "-e", "a,b@2", "--expires", "30d", "--label", "slurm"));
        String key = r.out().strip();
        assertThat(key).matches("trk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
        String id = key.substring(4, 16);
        assertThat(r.err()).contains("created key " + id + " (worker, a, b@2, expires ").contains("shown only this once")
                .doesNotContain(key.substring(17));
        Document stored = DB.mongo().getCollection("keys").find(Filters.eq("_id", id)).first();
        assertThat(stored).isNotNull();
        assertThat(stored.toJson()).doesNotContain(key.substring(17));
        assertThat(stored.getString("hash")).hasSize(64);
        assertThat(stored.getList("experiments", String.class)).containsExactly("a", "b@2");

        Map<String, Object> json = Json.parseObject(ok(cli.run("keys", "create", "--role", "reader", "-o", "json")).out());
        assertThat(json).containsEntry("role", "reader").containsEntry("experiments", List.of()).containsEntry("state", "active");
        assertThat((String) json.get("key")).startsWith("trk_" + json.get("id") + "_");
    }

    @Test
    void list_shows_ids_roles_scopes_and_states_never_a_key() throws Exception {
        CliRun cli = CliRun.in(tmp).database(DB);
        String a = ok(cli.run("keys", "create", "--role", "admin", "--label", "list-test")).out().strip();
        String b = ok(cli.run("keys", "create", "--role", "reader", "-e", "x")).out().strip();
        ok(cli.run("keys", "revoke", b.substring(4, 16)));
        DB.mongo().getCollection("keys").updateOne(Filters.eq("_id", a.substring(4, 16)),
                new Document("$set", new Document("expires", java.util.Date.from(Instant.now().minusSeconds(5)))));
        CliRun.Result table = ok(cli.run("keys", "list"));
        assertThat(table.out()).contains("ID").contains("ROLE").contains("LAST USED")
                .containsPattern(a.substring(4, 16) + "\\s+admin\\s+\\(all\\)\\s+expired")
                .containsPattern(b.substring(4, 16) + "\\s+reader\\s+x\\s+revoked")
                .doesNotContain(a.substring(17)).doesNotContain(b.substring(17));
        CliRun.Result json = ok(cli.run("keys", "list", "-o", "json"));
        assertThat(json.out()).doesNotContain(a.substring(17)).doesNotContain(b.substring(17)).doesNotContain("hash");
        assertThat(((List<?>) Json.parse(json.out())).stream().map(k -> (Object) ((Map<?, ?>) k).get("id")).toList())
                .contains(a.substring(4, 16), b.substring(4, 16));
    }

    @Test
    void revoke_takes_an_id_or_the_whole_key_and_never_echoes_a_secret() {
        CliRun cli = CliRun.in(tmp).database(DB);
        String key = ok(cli.run("keys", "create", "--role", "worker")).out().strip();
        String id = key.substring(4, 16);
        CliRun.Result byKey = ok(cli.run("keys", "revoke", key, "-o", "json"));
        assertThat(byKey.out()).contains("\"state\":\"revoked\"").doesNotContain(key.substring(17));
        ok(cli.run("keys", "revoke", id)); // again: not an error
        assertThat(ok(cli.run("keys", "revoke", key.substring(0, 30))).err()).as("a cut-off key still names its id")
                .contains("revoked key " + id).doesNotContain(key.substring(17, 30));

        CliRun.Result unknown = cli.run("keys", "revoke", "trk_aaaaaaaaaaaa_" + key.substring(17));
        assertThat(unknown.code()).isEqualTo(7);
        assertThat(unknown.err()).contains("no key 'aaaaaaaaaaaa'").doesNotContain(key.substring(17));
        CliRun.Result secretOnly = cli.run("keys", "revoke", key.substring(17));
        assertThat(secretOnly.code()).isEqualTo(2);
        assertThat(secretOnly.err()).contains("that is neither a key id nor a key").doesNotContain(key.substring(17));
    }

    @Test
    void mistakes_are_usage_errors_and_an_unknown_experiment_a_note() throws Exception {
        CliRun cli = CliRun.in(tmp).database(DB);
        Path def = tmp.resolve("tabular.yaml");
        Files.writeString(def, "name: tabular\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [d]\n"
                + "models:\n  m: {datasets: [d], params: {x: 1}}\n");
        ok(cli.run("create", def.toString()));
        CliRun.Result typo = ok(cli.run("keys", "create", "--role", "worker", "-e", "tabulr"));
        assertThat(typo.err()).contains("there is no experiment 'tabulr' yet (did you mean 'tabular'?)");
        assertThat(ok(cli.run("keys", "create", "--role", "worker", "-e", "tabular")).err()).doesNotContain("no experiment");
        Map<List<String>, String> bad = Map.of(
                List.of("--role", "root"), "expected one of [reader, worker, admin]",
                List.of("--role", "reader", "--expires", "soon"), "--expires 'soon' is not a duration",
                List.of("--role", "reader", "--expires", "0d"), "--expires must be longer than zero",
                List.of("--role", "reader", "-e", "a b"), "--experiment 'a b' is not an experiment name",
                List.of("--role", "reader", "--label", "two\nlines"), "--label must be one line");
        bad.forEach((args, message) -> {
            String[] all = new String[args.size() + 2];
            all[0] = "keys";
            all[1] = "create";
            for (int i = 0; i < args.size(); i++) {
                all[i + 2] = args.get(i);
            }
            CliRun.Result r = cli.run(all);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains(message);
            assertThat(r.out()).as("no key printed").isEmpty();
        });
    }
}
