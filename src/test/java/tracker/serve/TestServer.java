package tracker.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import tracker.config.Settings;
import tracker.json.Json;
import tracker.store.ApiKeys;
import tracker.store.Database;
import tracker.testing.TestDatabase;

/**
 * {@code tracker serve}'s HTTP server and API in this JVM, on a free loopback port over the test
 * database, with a plain {@link HttpClient} to talk to it and the access log it writes kept in
 * {@link #log}. Each instance has its own sign-in throttle (one {@link Api}), so a test that
 * provokes it does not slow the others down.
 */
final class TestServer implements AutoCloseable {
    final Database db;
    final HttpServer server;
    final String base;
    final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(TestDatabase test) throws InterruptedException {
        db = Database.open(Settings.resolve(test.uri(), test.name(), Map.of()), Map.of());
        server = HttpServer.start("127.0.0.1", 0, null, 8, new Api(db), log::add);
        base = "http://127.0.0.1:" + server.port();
    }

    /** A new key's text (role, experiments; never expiring). */
    String key(ApiKeys.Role role, String... experiments) {
        return new ApiKeys(db).create(role, List.of(experiments), null, null).secretText();
    }

    HttpResponse<String> get(String key, String path) {
        return send(request(key, path).GET());
    }

    HttpResponse<String> post(String key, String path) {
        return post(key, path, "");
    }

    HttpResponse<String> post(String key, String path, String body) {
        return send(request(key, path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> send(String key, String method, String path) {
        return send(request(key, path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    HttpRequest.Builder request(String key, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot reach the test server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The body as a JSON object (fails the test with the reply when it is not one). */
    static Map<String, Object> json(HttpResponse<String> r) {
        try {
            return Json.parseObject(r.body());
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON object: " + show(r), e);
        }
    }

    /** The error object of an error reply. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> error(HttpResponse<String> r) {
        Object e = json(r).get("error");
        if (!(e instanceof Map)) {
            throw new AssertionError("no error object in " + show(r));
        }
        return (Map<String, Object>) e;
    }

    /** For assertion messages: the status, headers and body, as curl -i would show them. */
    static String show(HttpResponse<String> r) {
        return r.request().method() + " " + r.uri().getPath() + " -> " + r.statusCode() + " " + r.headers().map() + "\n" + r.body();
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
