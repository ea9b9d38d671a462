package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TrackerProcess;

/** The embedded default as users meet it: real tracker processes sharing one server per directory. */
class EmbeddedServerProcessTest {
    private static final Duration T = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    TrackerProcess tracker;

    @BeforeEach
    void setUp() {
        tracker = new TrackerProcess(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        tracker.killServer();
    }

    private Map<String, Object> status(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "status", "-o", "json"));
        args.addAll(List.of(more));
        CliRun.Result r = tracker.run(T, args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return Json.parseObject(r.out().strip());
    }

    private static long pid(Map<String, Object> status) {
        return ((Number) status.get("pid")).longValue();
    }

    @Test
    void many_processes_starting_at_once_share_exactly_one_server() throws Exception {
        Instant before = Instant.now();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            processes.add(i % 2 == 0 ? tracker.start("server", "start", "-o", "json") : tracker.start("ping", "-o", "json"));
        }
        Set<String> uris = new java.util.HashSet<>();
        for (Process p : processes) {
            CliRun.Result r = TrackerProcess.finish(p, T);
            assertThat(r.code()).as(r.toString()).isZero();
            Map<String, Object> m = Json.parseObject(r.out().strip());
            uris.add(m.containsKey("uri") ? (String) m.get("uri") : "mongodb://" + m.get("hosts") + "/");
        }
        assertThat(uris).hasSize(1);
        Map<String, Object> status = status();
        assertThat(status.get("running")).isEqualTo(true);
        assertThat(uris).containsExactly((String) status.get("uri"));
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(h -> arguments(h).contains("--foreground"))
                .filter(h -> h.info().startInstant().map(s -> s.isAfter(before.minusSeconds(1))).orElse(false))
                .collect(Collectors.toList());
        assertThat(servers).extracting(ProcessHandle::pid).containsExactly(pid(status));
    }

    /**
     * A process's arguments from /proc: the JDK's {@code ProcessHandle.Info.arguments()} reads one
     * page of the command line and gives nothing for a longer one - and a server started from the
     * test class path has a class path of more than 4 KB.
     */
    static List<String> arguments(ProcessHandle h) {
        try {
            String cmdline = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            return List.of(cmdline.split("\0"));
        } catch (java.io.IOException | RuntimeException gone) {
            return List.of(); // ended meanwhile, or not ours to read
        }
    }

    @Test
    void acknowledged_writes_survive_kill_9_of_the_server() throws Exception {
        CliRun.Result started = tracker.run(T, "server", "start", "-o", "json");
        assertThat(started.code()).as(started.toString()).isZero();
        Map<String, Object> first = status("--show-uri");
        int n = 400;
        try (MongoClient client = MongoClients.create((String) first.get("uri"))) {
            MongoCollection<Document> c = client.getDatabase("tracker").getCollection("durability");
            for (int i = 0; i < n; i++) {
                c.insertOne(new Document("_id", i).append("payload", "x".repeat(100)));
            }
        }
        ProcessHandle server = ProcessHandle.of(pid(first)).orElseThrow();
        server.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
        server.onExit().get();

        // The next command finds the stale server.json, starts a new server on the same files.
        CliRun.Result ping = tracker.run(T, "ping", "-o", "json");
        assertThat(ping.code()).as(ping.toString()).isZero();
        Map<String, Object> second = status("--show-uri");
        assertThat(pid(second)).isNotEqualTo(pid(first));
        try (MongoClient client = MongoClients.create((String) second.get("uri"))) {
            assertThat(client.getDatabase("tracker").getCollection("durability").countDocuments()).isEqualTo(n);
        }
        // A commit per write must not bloat the file (H2 keeps old versions unless told otherwise).
        assertThat(((Number) second.get("sizeBytes")).longValue()).isLessThan(30L << 20);
    }

    @Test
    void a_stale_server_file_from_a_crash_is_replaced() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(tracker.trackerHome());
        Files.writeString(tracker.trackerHome().resolve("server.json"), new ServerInfo(gone.pid(), "127.0.0.1", 1,
                tracker.trackerHome().toString(), Instant.now().toString(), "0", 0).toJson());
        assertThat(status().get("running")).isEqualTo(false);

        CliRun.Result r = tracker.run(T, "ping");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> s = status();
        assertThat(s.get("running")).isEqualTo(true);
        assertThat(pid(s)).isNotEqualTo(gone.pid());
    }

    @Test
    void the_server_stops_by_itself_when_idle() throws Exception {
        TrackerProcess quick = new TrackerProcess(tmp, Map.of("TRACKER_SERVER_IDLE_TIMEOUT", "6s"));
        CliRun.Result r = quick.run(T, "ping");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> s = status();
        assertThat(s.get("idleTimeout")).isEqualTo("6s");
        ProcessHandle server = ProcessHandle.of(pid(s)).orElseThrow();
        assertThat(server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(tracker.trackerHome().resolve("server.json")).doesNotExist();
        assertThat(status().get("running")).isEqualTo(false);
    }

    @Test
    void stop_stops_it_and_the_data_directory_is_private() throws Exception {
        assertThat(tracker.run(T, "server", "start").code()).isZero();
        Map<String, Object> s = status();
        assertThat(Files.getPosixFilePermissions(tracker.trackerHome()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        CliRun.Result stop = tracker.run(T, "server", "stop");
        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.err()).contains("stopped the embedded database (pid " + pid(s));
        assertThat(ProcessHandle.of(pid(s)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(status().get("running")).isEqualTo(false);
        assertThat(tracker.run(T, "server", "stop").err()).contains("no embedded database was running");
    }

    @Test
    void the_server_runs_in_a_session_of_its_own() throws Exception {
        assertThat(tracker.run(T, "server", "start").code()).isZero();
        long serverPid = pid(status());
        // Ctrl-C or a closed terminal signals the foreground session, not the shared server.
        assertThat(session(serverPid)).isNotEqualTo(session(ProcessHandle.current().pid()));
    }

    private static String session(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
    }

    @Test
    void unreachable_uri_is_exit_5_quickly_and_never_shows_the_password() throws Exception {
        long t0 = System.nanoTime();
        CliRun.Result r = tracker.run(T, "ping", "-v", "--uri", "mongodb://bob:pa55-word@127.0.0.1:1/");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
        assertThat(r.code()).as(r.toString()).isEqualTo(5);
        assertThat(r.err()).contains("cannot reach MongoDB at 127.0.0.1:1");
        assertThat(r.out() + r.err()).doesNotContain("pa55-word");
    }

    @Test
    void binding_beyond_loopback_needs_allow_remote() {
        CliRun.Result r = CliRun.in(tmp).run("server", "start", "--foreground", "--bind", "0.0.0.0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("refusing to listen on 0.0.0.0").contains("--allow-remote");
    }
}
