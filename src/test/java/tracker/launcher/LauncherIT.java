package tracker.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.cli.VersionProvider;
import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TrackerProcess;

/** The packaged launcher, target/tracker, as a user runs it after {@code mvn package}. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("tracker.launcher", "target/tracker"));

    @TempDir
    Path tmp;

    @AfterEach
    void stopServer() throws IOException {
        new TrackerProcess(tmp).killServer();
    }

    private CliRun.Result run(Map<String, String> env, String... args) throws Exception {
        return run(LAUNCHER, env, args);
    }

    private CliRun.Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("TRACKER_") || k.startsWith("XDG_"));
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("TRACKER_HOME", tmp.resolve("data").toString());
        pb.environment().putAll(env);
        return TrackerProcess.finish(pb.start(), Duration.ofSeconds(90));
    }

    @Test
    void version_prints_only_the_version_on_stdout() throws Exception {
        CliRun.Result r = run(Map.of(), "--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("tracker " + VersionProvider.version() + "\nJava ");
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    @Test
    void the_build_made_a_class_data_archive_and_uses_it_quietly() throws Exception {
        Path cache = LAUNCHER.resolveSibling("tracker-cache");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith(".aot") || n.endsWith(".jsa"));
        }
        CliRun.Result r = run(Map.of("TRACKER_JAVA_OPTS", "-Xlog:class+load=info:stderr"), "--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        // Our own classes and picocli's (recompiled from source so that CDS accepts them) come from the archive.
        assertThat(r.err()).contains("tracker.Tracker source: shared objects file")
                .contains("picocli.CommandLine source: shared objects file");
    }

    @Test
    void a_database_command_starts_the_embedded_server_and_keeps_stdout_clean() throws Exception {
        CliRun.Result r = run(Map.of(), "ping", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> m = Json.parseObject(r.out().strip());
        assertThat(m.get("embedded")).isEqualTo(true);
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    /** A copy of the launcher and its jar in a directory of their own, as a user installs them. */
    private Path install(String name) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name));
        Files.copy(LAUNCHER, bin.resolve("tracker"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(LAUNCHER.resolveSibling("tracker.jar"), bin.resolve("tracker.jar"));
        return bin;
    }

    @Test
    void the_embedded_server_runs_from_its_own_copy_of_the_jar_so_overwriting_the_jar_cannot_break_it() throws Exception {
        Map<String, String> env = Map.of("TRACKER_NO_ARCHIVE", "1"); // no background training writing into tmp
        Path first = install("first");
        Path second = install("second"); // another install, the same data directory
        CliRun.Result ping = run(first.resolve("tracker"), env, "ping", "-o", "json");
        assertThat(ping.code()).as(ping.toString()).isZero();
        long pid = ((Number) Json.parseObject(Files.readString(tmp.resolve("data/server.json"))).get("pid")).longValue();
        String serverCommand = ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse("");
        assertThat(serverCommand).contains(first.resolve("tracker-cache").toString() + "/server-").doesNotContain(first + "/tracker.jar");

        // An upgrade or a rebuild that writes over the jar in place (not a rename): the server must not notice.
        try (var ch = java.nio.channels.FileChannel.open(first.resolve("tracker.jar"), java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap("not a jar any more".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        Path def = tmp.resolve("e.yaml");
        Files.writeString(def, """
                name: upgrade
                objective: {metric: acc, goal: maximize}
                datasets: [a]
                models: {m: {datasets: [a], params: {x: [1, 2]}}}
                search: {method: grid}
                """);
        Path tracker = second.resolve("tracker");
        assertThat(run(tracker, env, "create", def.toString()).code()).isZero();
        CliRun.Result next = run(tracker, env, "next", "-e", "upgrade", "-o", "json");
        assertThat(next.code()).as(next.toString()).isZero();
        Map<String, Object> claim = Json.parseObject(next.out().strip());
        CliRun.Result log = run(tracker, env, "log", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"),
                "--epoch", "1", "val.acc=0.5");
        assertThat(log.code()).as(log.toString()).isZero();
        CliRun.Result end = run(tracker, env, "end", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"),
                "--status", "completed");
        assertThat(end.code()).as(end.toString()).isZero();
        CliRun.Result report = run(tracker, env, "report", "-e", "upgrade", "-o", "json");
        assertThat(report.code()).as(report.toString()).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void runs_on_java_17() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        String javaHome = System.getProperty("java.home");
        Path java = Files.isExecutable(java17) ? java17 : Path.of(javaHome, "bin", "java");
        CliRun.Result r = run(Map.of("TRACKER_JAVA", java.toString()), "--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Java 17");
    }

    @Test
    void report_into_a_pipe_has_no_escape_codes_and_a_quiet_stderr() throws Exception {
        assertThat(run(Map.of(), "create", "experiments/tabular-baselines.yaml").code()).isZero();
        for (String view : List.of("matrix", "progress", "leaderboard", "runs")) {
            CliRun.Result r = run(Map.of("CLICOLOR_FORCE", "0", "TERM", "xterm-256color"), "report", "-e", "tabular-baselines", "--view", view);
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).as(view).isNotEmpty().doesNotContain("\u001B");
            assertThat(r.err()).as(r.toString()).isEmpty();
        }
    }
    @Test
    void serve_runs_with_full_jit_from_its_own_copy_of_the_jar_so_overwriting_the_jar_cannot_break_it() throws Exception {
        Path first = install("serve");
        Map<String, String> env = Map.of("TRACKER_NO_ARCHIVE", "1");
        CliRun.Result key = run(first.resolve("tracker"), env, "keys", "create", "--role", "reader");
        assertThat(key.code()).as(key.toString()).isZero();
        ProcessBuilder pb = new ProcessBuilder(first.resolve("tracker").toString(), "-v", "serve", "--port", "0", "--quiet");
        pb.environment().keySet().removeIf(k -> k.startsWith("TRACKER_") || k.startsWith("XDG_"));
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("TRACKER_HOME", tmp.resolve("data").toString());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process serve = pb.start();
        try {
            String url = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream())).readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(90, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(url).startsWith("http://127.0.0.1:");
            String command = serve.info().commandLine().orElse("");
            assertThat(command).contains(first.resolve("tracker-cache") + "/server-").doesNotContain("TieredStopAtLevel");

            try (var ch = java.nio.channels.FileChannel.open(first.resolve("tracker.jar"), java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap("not a jar any more".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            var client = java.net.http.HttpClient.newHttpClient();
            for (String path : List.of("api/v1/experiments", "api/v1/experiments/nosuch/report?view=curves&dataset=x&format=svg")) {
                var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path))
                        .header("Authorization", "Bearer " + key.out().strip()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(200, 404);
                assertThat(r.body()).as(path).doesNotContain("internal");
            }
        } finally {
            serve.destroy();
            serve.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
