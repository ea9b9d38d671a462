package tracker.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static tracker.serve.TestServer.error;
import static tracker.serve.TestServer.json;
import static tracker.serve.TestServer.show;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import tracker.json.Json;
import tracker.store.ApiKeys;
import tracker.store.ApiKeys.Role;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * Who may do what through the API: keys (missing, malformed, unknown, revoked, expired), roles,
 * experiment scopes, the sign-in throttle, and what a browser on another site can and cannot make
 * the server do. Each test gets a server of its own, so one test's failed sign-ins do not slow
 * another's down. Experiments {@code a} and {@code b}: one model on one dataset, 4 runs each.
 */
class ApiSecurityTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path tmp;

    TestServer api;

    @BeforeAll
    static void experiments() throws Exception {
        CliRun cli = CliRun.in(tmp).database(DB);
        for (String name : List.of("a", "b")) {
            Path def = tmp.resolve(name + ".yaml");
            Files.writeString(def, "name: " + name + "\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [d]\n"
                    + "models:\n  m: {datasets: [d], params: {x: [1, 2, 3, 4]}}\nsearch: {method: grid, seed: 1}\n");
            CliRun.Result r = cli.run("create", def.toString());
            assertThat(r.code()).as(r.toString()).isZero();
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new TestServer(DB);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static HttpResponse<String> status(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(show(r)).isEqualTo(status);
        return r;
    }

    static void unauthorized(HttpResponse<String> r) {
        status(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as(show(r)).hasValue("Bearer");
        assertThat(error(r)).containsEntry("kind", "unauthorized").containsEntry("code", 5L);
        assertThat(r.headers().firstValue("Tracker-Exit-Code")).hasValue("5");
    }

    static void forbidden(HttpResponse<String> r) {
        status(r, 403);
        assertThat(error(r)).containsEntry("kind", "forbidden");
    }

    @Test
    void no_key_is_401_with_www_authenticate_on_every_endpoint_but_health() {
        for (String path : List.of("/api/v1", "/api/v1/experiments", "/api/v1/experiments/a/report", "/api/v1/runs/a@1/m/d/0",
                "/api/v1/nothing")) {
            unauthorized(api.get(null, path));
        }
        unauthorized(api.post(null, "/api/v1/experiments/a/next"));
        status(api.get(null, "/api/v1/health"), 200);
    }

    @Test
    void malformed_unknown_revoked_and_expired_keys_are_401_alike_and_revocation_is_at_once() {
        ApiKeys keys = new ApiKeys(api.db);
        ApiKeys.Created good = keys.create(Role.reader, List.of(), null, null);
        String secret = good.secretText().substring(17);
        status(api.get(good.secretText(), "/api/v1/experiments"), 200);
        assertThat(keys.list()).filteredOn(k -> k.id().equals(good.key().id())).singleElement()
                .satisfies(k -> assertThat(k.lastUsed()).as("keys list shows when a key was last used").isNotNull());

        String unknownId = "trk_aaaaaaaaaaaa_" + secret;
        String wrongSecret = good.secretText().substring(0, 17) + "A".repeat(43);
        for (String bad : List.of("nonsense", good.secretText() + "x", unknownId, wrongSecret)) {
            HttpResponse<String> r = api.get(bad, "/api/v1/experiments");
            unauthorized(r);
            assertThat(error(r).get("message")).isEqualTo("the API key is not valid (unknown, revoked or expired)");
        }
        HttpResponse<String> basic = api.send(api.request(null, "/api/v1/experiments").header("Authorization", "Basic dXNlcjpwYXNz").GET());
        unauthorized(basic);
        assertThat(error(basic).get("message")).isEqualTo("this needs an API key");

        keys.revoke(good.key().id());
        unauthorized(api.get(good.secretText(), "/api/v1/experiments"));

        ApiKeys.Created brief = keys.create(Role.admin, List.of(), Duration.ofHours(1), null);
        status(api.get(brief.secretText(), "/api/v1/experiments"), 200);
        DB.mongo().getCollection("keys").updateOne(Filters.eq("_id", brief.key().id()),
                Updates.set("expires", Date.from(Instant.now().minusMillis(1)))); // its hour is over
        unauthorized(api.get(brief.secretText(), "/api/v1/experiments"));
    }

    @Test
    void each_role_does_only_its_own_work() {
        String reader = api.key(Role.reader);
        String worker = api.key(Role.worker);
        String admin = api.key(Role.admin);

        Map<String, Object> claim = json(status(api.post(admin, "/api/v1/experiments/a/next"), 200));
        String run = "/api/v1/runs/" + claim.get("run");
        String token = "?token=" + claim.get("token");

        for (String post : List.of("/api/v1/experiments/a/next", run + "/log" + token, run + "/heartbeat" + token, run + "/end" + token,
                "/api/v1/experiments/a/requeue", "/api/v1/experiments/a/cancel", "/api/v1/experiments")) {
            forbidden(api.post(reader, post));
        }
        for (String get : List.of("/api/v1/experiments", "/api/v1/experiments/a/report",
                "/api/v1/experiments/a/runs", "/api/v1/experiments/a/export", run, run + "/epochs")) {
            forbidden(api.get(worker, get));
            status(api.get(reader, get), 200);
            status(api.get(admin, get), 200);
        }
        // tracker run through the server reads its experiment's definition and what is in flight
        for (String get : List.of("/api/v1/experiments/a", "/api/v1/experiments/a/status")) {
            status(api.get(worker, get), 200);
            status(api.get(reader, get), 200);
        }
        for (String post : List.of("/api/v1/experiments/a/requeue", "/api/v1/experiments/a/cancel", "/api/v1/experiments/a/priority",
                "/api/v1/experiments")) {
            forbidden(api.post(worker, post));
        }
        HttpResponse<String> refused = api.post(reader, run + "/end" + token + "&status=completed");
        assertThat(error(refused).get("message")).isEqualTo("a reader key may not do this");
        assertThat(error(refused).get("hint").toString()).contains("worker or admin");

        status(api.post(worker, run + "/log" + token, "epoch=1 val.acc=0.5\n"), 200);
        status(api.post(worker, run + "/heartbeat" + token), 200);
        status(api.post(admin, run + "/end" + token + "&status=completed"), 200);
        Map<String, Object> workerClaim = json(status(api.post(worker, "/api/v1/experiments/a/next"), 200));
        status(api.post(worker, "/api/v1/runs/" + workerClaim.get("run") + "/end?status=completed&token=" + workerClaim.get("token")), 200);
        // an ended run's token (kept to recognise a retried end) is shown to no reader
        assertThat(status(api.get(reader, "/api/v1/runs/" + workerClaim.get("run")), 200).body())
                .contains("lastEnd").doesNotContain((String) workerClaim.get("token"));
        status(api.post(admin, "/api/v1/experiments/a/requeue?status=failed"), 200);
        status(api.post(admin, "/api/v1/experiments/a/cancel?run=" + workerClaim.get("run")), 200);
    }

    @Test
    void a_key_scoped_to_one_experiment_cannot_touch_another() {
        String admin = api.key(Role.admin);
        String workerA = api.key(Role.worker, "a");
        String readerA = api.key(Role.reader, "a@1");
        Map<String, Object> claimB = json(status(api.post(admin, "/api/v1/experiments/b/next"), 200));
        String runB = "/api/v1/runs/" + claimB.get("run");

        forbidden(api.post(workerA, "/api/v1/experiments/b/next"));
        forbidden(api.post(workerA, "/api/v1/experiments/b@1/next"));
        HttpResponse<String> log = api.post(workerA, runB + "/log?token=" + claimB.get("token"), "epoch=1 val.acc=0.99\n");
        forbidden(log);
        assertThat(error(log).get("message")).isEqualTo("this key does not reach experiment 'b@1'");
        forbidden(api.post(workerA, runB + "/end?status=failed&token=" + claimB.get("token")));
        assertThat(json(api.get(admin, runB + "/epochs")).get("epochs")).as("nothing was logged").isEqualTo(List.of());

        Map<String, Object> claimA = json(status(api.post(workerA, "/api/v1/experiments/a/next"), 200));
        status(api.post(workerA, "/api/v1/runs/" + claimA.get("run") + "/end?status=completed&token=" + claimA.get("token")), 200);

        status(api.get(readerA, "/api/v1/experiments/a/report"), 200);
        status(api.get(readerA, "/api/v1/experiments/a@1/report"), 200);
        forbidden(api.get(readerA, "/api/v1/experiments/a/report?with=b"));
        forbidden(api.get(readerA, "/api/v1/experiments/b/report"));
        forbidden(api.get(readerA, "/api/v1/experiments/b/runs"));
        forbidden(api.get(readerA, runB));
        List<?> listed = (List<?>) Json.parse(status(api.get(readerA, "/api/v1/experiments"), 200).body());
        assertThat(listed.stream().map(e -> (Object) ((Map<?, ?>) e).get("id")).toList()).containsExactly("a@1");
        status(api.post(admin, runB + "/end?status=completed&token=" + claimB.get("token")), 200);
    }

    @Test
    void repeated_failed_sign_ins_from_one_address_are_slowed_down() {
        String good = api.key(Role.reader);
        long fastest = Long.MAX_VALUE; // of the failures that are not held back: the quickest is the least disturbed by the machine
        for (int i = 1; i <= Gate.FREE_FAILURES; i++) {
            String bad = i % 2 == 0 ? "wrong-" + i : "trk_aaaaaaaaaaaa_" + "B".repeat(43);
            fastest = Math.min(fastest, timed(() -> unauthorized(api.get(bad, "/api/v1/experiments"))));
        }
        unauthorized(api.get("wrong-6", "/api/v1/experiments"));
        long seventh = timed(() -> unauthorized(api.get(null, "/api/v1/experiments")));
        assertThat(seventh - fastest).as("the 7th failure waits (free ones %d ms, the 7th %d ms)", fastest, seventh)
                .isGreaterThanOrEqualTo(100);
        status(api.get(good, "/api/v1/experiments"), 200);
    }

    private static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void another_site_cannot_make_a_browser_call_the_api() {
        String admin = api.key(Role.admin);
        HttpResponse<String> preflight = api.send(api.request(null, "/api/v1/experiments/a/cancel")
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.headers().map().keySet()).as(show(preflight)).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        assertThat(preflight.statusCode()).isIn(401, 405);

        // what a cross-site form sends: no Authorization header, a form body, perhaps the key where a careless client put it
        for (String path : List.of("/api/v1/experiments/a/cancel", "/api/v1/experiments/a/cancel?key=" + admin,
                "/api/v1/experiments/a/cancel?api_key=" + admin)) {
            unauthorized(api.send(api.request(null, path).header("Origin", "https://evil.example")
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "key=" + admin)
                    .POST(HttpRequest.BodyPublishers.ofString("running=true&key=" + admin))));
        }
        assertThat(json(api.get(admin, "/api/v1/experiments/a")).toString()).as("nothing was cancelled").contains("cancelled=0");
        HttpResponse<String> ok = status(api.get(admin, "/api/v1/experiments"), 200);
        assertThat(ok.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void replies_forbid_sniffing_caching_and_framing_and_pages_carry_the_script_policy() {
        String reader = api.key(Role.reader);
        for (HttpResponse<String> r : List.of(api.get(reader, "/api/v1/experiments"), api.get(null, "/api/v1/experiments"),
                api.get(reader, "/api/v1/nothing"), api.get(null, "/api/v1/health"))) {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(show(r)).hasValue("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).as(show(r)).hasValue("no-store");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(show(r)).hasValue("default-src 'none'; frame-ancestors 'none'");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(show(r)).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(show(r)).startsWith("application/json");
        }
        HttpResponse<String> page = api.get(null, "/");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
    }

    @Test
    void a_run_token_in_the_query_never_reaches_the_access_log() {
        String worker = api.key(Role.worker);
        Map<String, Object> claim = json(status(api.post(worker, "/api/v1/experiments/a/next"), 200));
        String token = (String) claim.get("token");
        status(api.post(worker, "/api/v1/runs/" + claim.get("run") + "/end?status=completed&token=" + token), 200);
        unauthorized(api.get(worker + "x", "/api/v1/experiments?secret=" + worker));
        assertThat(api.log).hasSizeGreaterThanOrEqualTo(3).noneMatch(l -> l.contains(token)).noneMatch(l -> l.contains(worker.substring(17)))
                .anyMatch(l -> l.matches("127\\.0\\.0\\.1 POST /api/v1/runs/a@1/m/d/\\d+/end 200 \\d+ms"));
    }
}
