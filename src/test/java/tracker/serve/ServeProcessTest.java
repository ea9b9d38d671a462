package tracker.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.DebianPackages;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;

/**
 * {@code tracker serve} as a real process: what it refuses to bind to, its warning for plain HTTP
 * beyond loopback, HTTPS with a keystore made by the JDK's keytool, and that no API key ever
 * shows up in what serve and the keys commands print, except once where it is created.
 */
class ServeProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A running serve: its URL (the first line of its stdout) and its stderr so far. */
    record Served(Process process, String url, StringBuffer err) {
        /** Stops it as Ctrl-C or SIGTERM would and returns all it wrote to stderr. */
        String stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
            return err.toString();
        }
    }

    private Served serve(String... args) throws Exception {
        TrackerProcess tracker = new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name()));
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0"));
        all.addAll(List.of(args));
        Process p = tracker.start(all.toArray(String[]::new));
        started.add(p);
        StringBuffer err = new StringBuffer();
        Thread drain = new Thread(() -> copy(p.getErrorStream(), err));
        drain.setDaemon(true);
        drain.start();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String url = first.get(60, TimeUnit.SECONDS);
        assertThat(url).as("serve prints its URL; stderr:\n" + err).isNotNull().matches("https?://.*:\\d+/");
        return new Served(p, url, err);
    }

    private static void copy(InputStream in, StringBuffer into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                into.append(line).append('\n');
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The URL a client on this machine uses for a server bound to every address. */
    private static String local(String url) {
        return url.replace("://0.0.0.0:", "://127.0.0.1:");
    }

    private static HttpResponse<String> get(HttpClient client, String url, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_bind_beyond_loopback_needs_tls_or_insecure_http() {
        CliRun cli = CliRun.in(tmp).database(DB);
        CliRun.Result refused = cli.run("serve", "--bind", "0.0.0.0", "--port", "0");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("refusing plain HTTP on 0.0.0.0: API keys and run tokens would cross the network in clear text")
                .contains("--tls-keystore").contains("--insecure-http");
        assertThat(refused.out()).isEmpty();
        Map<List<String>, String> usage = Map.of(
                List.of("--port", "70000"), "--port 70000 is not a port",
                List.of("--port", "-1"), "--port -1 is not a port",
                List.of("--threads", "0"), "--threads must be 1 to 1024, not 0",
                List.of("--bind", "::", "--port", "0"), "refusing plain HTTP on ::");
        usage.forEach((args, message) -> {
            List<String> all = new ArrayList<>(List.of("serve"));
            all.addAll(args);
            CliRun.Result r = cli.run(all.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains(message);
        });
        CliRun.Result nowhere = cli.run("serve", "--bind", "no-such-host.invalid", "--port", "0");
        assertThat(nowhere.code()).as(nowhere.toString()).isEqualTo(2);
        assertThat(nowhere.err()).contains("--bind 'no-such-host.invalid' is not an address of this machine");
    }

    @Test
    void a_port_in_use_is_a_usage_error_and_leaves_no_thread_behind() throws Exception {
        CliRun cli = CliRun.in(tmp).database(DB);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun.Result r = cli.run("serve", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use")
                    .contains("choose another with --port").doesNotContain("internal error");
        }
        // netty's shared globalEventExecutor thread ends by itself a second after its last task: wait for
        // threads to end rather than demand that they already have (what is left after 5 s was left for good)
        List<Thread> left = List.of();
        for (long deadline = System.nanoTime() + 5_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon()).toList();
            if (left.isEmpty()) {
                break;
            }
        }
        assertThat(left).as("threads the failed start left running").isEmpty();
    }

    @Test
    void keys_appear_only_once_where_they_are_created_never_in_serves_log_or_the_keys_commands() throws Exception {
        CliRun cli = CliRun.in(tmp).database(DB);
        Path def = tmp.resolve("k.yaml");
        Files.writeString(def, "name: k\nobjective: {metric: acc, phase: val, goal: maximize}\ndatasets: [d]\n"
                + "models:\n  m: {datasets: [d], params: {x: [1, 2]}}\nsearch: {method: grid, seed: 1}\n");
        List<CliRun.Result> outputs = new ArrayList<>();
        outputs.add(ok(cli.run("create", def.toString())));
        CliRun.Result adminCreated = ok(cli.run("keys", "create", "--role", "admin", "--label", "lab admin"));
        CliRun.Result workerCreated = ok(cli.run("-v", "keys", "create", "--role", "worker", "-e", "k", "--expires", "30d", "-o", "json"));
        CliRun.Result readerCreated = ok(cli.run("keys", "create", "--role", "reader"));
        String admin = adminCreated.out().strip();
        String worker = (String) Json.parseObject(workerCreated.out()).get("key");
        String reader = readerCreated.out().strip();
        assertThat(List.of(admin, worker, reader)).allMatch(k -> k.matches("trk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}"));

        Served s = serve("--bind", "0.0.0.0", "--insecure-http", "-v");
        String base = local(s.url()) + "api/v1";
        HttpClient client = HttpClient.newHttpClient();
        assertThat(get(client, base + "/experiments", admin).statusCode()).isEqualTo(200);
        assertThat(get(client, base + "/experiments/k/report", reader).statusCode()).isEqualTo(200);
        HttpResponse<String> claim = client.send(HttpRequest.newBuilder(URI.create(base + "/experiments/k/next"))
                .header("Authorization", "Bearer " + worker).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(claim.statusCode()).as(claim.body()).isEqualTo(200);
        assertThat(get(client, base + "/experiments?key=" + admin, admin + "x").statusCode()).isEqualTo(401);
        assertThat(get(client, base + "/experiments", reader.substring(0, 30)).statusCode()).isEqualTo(401);

        outputs.add(ok(cli.run("keys", "list")));
        outputs.add(ok(cli.run("-v", "keys", "list", "-o", "json")));
        outputs.add(ok(cli.run("keys", "revoke", reader.substring(4, 16))));
        outputs.add(ok(cli.run("keys", "revoke", worker, "-o", "json")));
        outputs.add(cli.run("keys", "revoke", admin.substring(0, 17) + "wrong", "-o", "json"));
        assertThat(get(client, base + "/experiments/k/report", reader).statusCode()).as("revoked at once").isEqualTo(401);
        outputs.add(ok(cli.run("keys", "list")));
        String serveErr = s.stop();

        assertThat(serveErr).contains("WARNING: plain HTTP beyond loopback (--insecure-http)").contains("GET /api/v1/experiments 200")
                .contains("GET /api/v1/experiments 401");
        assertThat(s.url()).startsWith("http://0.0.0.0:");
        String name = InetAddress.getLocalHost().getCanonicalHostName();
        if (!InetAddress.getByName(name).isLoopbackAddress()) {
            assertThat(serveErr).contains("other machines reach it as http://" + name + ":" + s.url().replaceAll(".*:(\\d+)/$", "$1") + "/");
        }
        StringBuilder everything = new StringBuilder(s.url()).append(serveErr);
        outputs.forEach(o -> everything.append(o.out()).append(o.err()));
        everything.append(adminCreated.err()).append(workerCreated.err()).append(readerCreated.err());
        for (String key : List.of(admin, worker, reader)) {
            String secret = key.substring(17);
            assertThat(everything.toString()).as("the secret of " + key.substring(0, 16)).doesNotContain(secret);
        }
        assertThat(adminCreated.out()).isEqualTo(admin + "\n");
        assertThat(readerCreated.out()).isEqualTo(reader + "\n");
        assertThat(workerCreated.out().split(worker.substring(17), -1)).as("once in the JSON").hasSize(2);
        assertThat(adminCreated.err()).contains("created key " + admin.substring(4, 16)).contains("shown only this once");
        assertThat(outputs.get(1).out()).contains(admin.substring(4, 16)).contains("lab admin").contains("(all)");
    }

    private static CliRun.Result ok(CliRun.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void serves_https_with_a_pkcs12_keystore_and_says_clearly_when_its_password_is_wrong() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = tmp.resolve("server.p12");
        Path cert = tmp.resolve("server.pem");
        Path password = tmp.resolve("password");
        Files.writeString(password, "s3cret-pass\n");
        run(keytool.toString(), "-genkeypair", "-alias", "tracker", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "s3cret-pass", "-keypass", "s3cret-pass", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "tracker", "-keystore", store.toString(), "-storepass", "s3cret-pass",
                "-file", cert.toString());
        CliRun cli = CliRun.in(tmp).database(DB);
        String key = ok(cli.run("keys", "create", "--role", "reader")).out().strip();

        Path wrong = tmp.resolve("wrong");
        Files.writeString(wrong, "not-it\n");
        CliRun.Result refused = cli.run("serve", "--bind", "0.0.0.0", "--port", "0", "--tls-keystore", store.toString(),
                "--tls-password-file", wrong.toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("cannot use the keystore " + store + ": the password is wrong")
                .contains("--tls-password-file or $TRACKER_TLS_PASSWORD").doesNotContain("not-it").doesNotContain("Exception");
        Path certOnly = tmp.resolve("cert-only.p12");
        run(keytool.toString(), "-importcert", "-noprompt", "-alias", "c", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", certOnly.toString(), "-storepass", "s3cret-pass");
        Path text = Files.writeString(tmp.resolve("text.p12"), "not a keystore\n");
        Map<Path, String> unusable = Map.of(tmp.resolve("nope.p12"), "no such file", certOnly, "it holds no private key, only certificates",
                text, "not a readable PKCS#12 or JKS keystore");
        for (var u : unusable.entrySet()) {
            CliRun.Result r = cli.run("serve", "--port", "0", "--tls-keystore", u.getKey().toString(), "--tls-password-file", password.toString());
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains("cannot use the keystore " + u.getKey() + ": " + u.getValue())
                    .doesNotContain("null").doesNotContain("s3cret");
        }

        Served s = serve("--bind", "0.0.0.0", "--tls-keystore", store.toString(), "--tls-password-file", password.toString());
        assertThat(s.url()).startsWith("https://0.0.0.0:");
        String base = local(s.url()) + "api/v1";

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tracker", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
        HttpResponse<String> r = get(https, base + "/experiments", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");

        String curlMissing = DebianPackages.ensure(Path.of("/usr/bin/curl"), "curl");
        assumeTrue(curlMissing == null, "curl could not be installed: " + curlMissing);
        CliRun.Result viaCurl = run("curl", "-sS", "--cacert", cert.toString(), "-H", "Authorization: Bearer " + key, base + "/experiments");
        assertThat(viaCurl.code()).as(viaCurl.toString()).isZero();
        assertThat(viaCurl.out()).startsWith("[");
        CliRun.Result untrusted = runAllowingFailure("curl", "-sS", base + "/health");
        assertThat(untrusted.code()).as("curl does not trust a certificate it was not given: " + untrusted).isEqualTo(60);
        CliRun.Result plain = runAllowingFailure("curl", "-sS", "-m", "10", base.replace("https://", "http://") + "/health");
        assertThat(plain.code()).as("no plain HTTP on the TLS port: " + plain).isNotZero();
        assertThat(plain.out()).doesNotContain("\"ok\"");
        s.stop();
    }

    private CliRun.Result run(String... cmd) throws Exception {
        CliRun.Result r = runAllowingFailure(cmd);
        assertThat(r.code()).as(String.join(" ", cmd) + "\n" + r).isZero();
        return r;
    }

    private CliRun.Result runAllowingFailure(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return TrackerProcess.finish(p, Duration.ofSeconds(60));
    }
}
