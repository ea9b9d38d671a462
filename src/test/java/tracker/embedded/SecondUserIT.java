package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TrackerProcess;

/**
 * Another local account (nobody) against root's embedded database, with the packaged launcher as
 * users run it: through TRACKER_HOME it is refused before it connects, through --uri the server does
 * not admit it, and either way nothing of root's data is read or written. Needs root (to run a
 * process as another user); skipped otherwise.
 */
class SecondUserIT {
    private static final Path LAUNCHER = Path.of(System.getProperty("tracker.launcher", "target/tracker"));
    private static final String NOBODY = "65534";
    private static final Duration T = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private Path bin;
    private Path rootData;
    private Path nobodyHome;
    private Path definition;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
                "skipped: running tracker as a second user (nobody) needs root, and this test does not run as root");
        assumeTrue(new File("/usr/bin/setpriv").canExecute(), "skipped: no /usr/bin/setpriv to run a process as nobody");
        // A directory tree that nobody can walk (the repository may live in root's private home),
        // holding a copy of the launcher and jar, root's data directory and nobody's home.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        bin = Files.createDirectory(tmp.resolve("bin"));
        for (String f : new String[] {"tracker", "tracker.jar"}) {
            Files.copy(LAUNCHER.resolveSibling(f), bin.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        rootData = tmp.resolve("root-data");
        nobodyHome = Files.createDirectory(tmp.resolve("nobody"));
        Files.setAttribute(nobodyHome, "unix:uid", Integer.parseInt(NOBODY));
        Files.setAttribute(nobodyHome, "unix:gid", Integer.parseInt(NOBODY));
        definition = tmp.resolve("exp.yaml");
        Files.writeString(definition, "name: private-exp\nobjective: {metric: acc, goal: maximize}\ndatasets: [a]\n"
                + "models:\n  m: {datasets: [a], params: {k: [1, 2]}}\nsearch: {trials: 2, replicates: 1}\n");
        Files.setPosixFilePermissions(definition, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun.Result created = asRoot("create", definition.toString());
        assertThat(created.code()).as(created.toString()).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (rootData != null && Files.exists(rootData)) {
            asRoot("server", "stop");
            ServerInfo info = ServerInfo.read(new ServerFiles(rootData).info());
            if (info != null) {
                ProcessHandle.of(info.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private CliRun.Result asRoot(String... args) throws Exception {
        return run(List.of(), Map.of("HOME", tmp.toString(), "TRACKER_HOME", rootData.toString()), args);
    }

    private CliRun.Result asNobody(Map<String, String> env, String... args) throws Exception {
        List<String> setpriv = List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
        Map<String, String> all = new TreeMap<>(Map.of("HOME", nobodyHome.toString(),
                "TRACKER_HOME", nobodyHome.resolve("data").toString()));
        all.putAll(env);
        return run(setpriv, all, args);
    }

    private CliRun.Result run(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(bin.resolve("tracker").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TRACKER_") || k.startsWith("XDG_"));
        pb.environment().put("TRACKER_NO_ARCHIVE", "1"); // no background training of archives in bin/
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        return TrackerProcess.finish(pb.start(), T);
    }

    /** Everything that would change if anything were written: the files (owner, size) and root's view of the data. */
    private String rootState() throws Exception {
        StringBuilder state = new StringBuilder();
        try (Stream<Path> files = Files.list(rootData)) {
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().startsWith("server.log")) {
                    state.append(f.getFileName()).append(' ').append(Files.getOwner(f).getName()).append(' ')
                            .append(f.getFileName().toString().equals("data.mv.db") ? "" : Files.size(f)).append('\n');
                }
            }
        }
        CliRun.Result list = asRoot("list", "-o", "json");
        assertThat(list.code()).as(list.toString()).isZero();
        CliRun.Result status = asRoot("status", "-e", "private-exp", "-o", "json");
        assertThat(status.code()).as(status.toString()).isZero();
        return state + list.out() + status.out().replaceAll("\"(now|asOf|serverTime)\":\\s*\"[^\"]*\"", "");
    }

    @Test
    void another_user_pointing_tracker_home_at_the_directory_is_refused_before_connecting() throws Exception {
        String before = rootState();
        for (String[] args : new String[][] {{"list"}, {"next", "-e", "private-exp"}, {"create", definition.toString()}}) {
            CliRun.Result r = asNobody(Map.of("TRACKER_HOME", rootData.toString()), args);
            assertThat(r.code()).as(r.toString()).isEqualTo(5);
            assertThat(r.err()).as(r.toString()).isEqualTo("tracker: error: the embedded database in " + rootData
                    + " belongs to user root (uid 0); hint: set TRACKER_HOME to a directory of your own\n");
            assertThat(r.out()).isEmpty();
        }
        assertThat(rootState()).isEqualTo(before);
    }

    @Test
    void another_user_pointing_uri_at_the_port_is_not_admitted() throws Exception {
        CliRun.Result status = asRoot("server", "status", "-o", "json");
        String uri = (String) Json.parseObject(status.out().strip()).get("uri");
        String hosts = uri.substring("mongodb://".length(), uri.length() - 1);
        String before = rootState();
        for (String[] args : new String[][] {{"list"}, {"next", "-e", "private-exp"}, {"create", definition.toString()},
                {"report", "-e", "private-exp"}}) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--uri", uri));
            CliRun.Result r = asNobody(Map.of(), all.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isEqualTo(5);
            assertThat(r.err()).as(r.toString()).startsWith("tracker: error: not allowed to use MongoDB at " + hosts
                    + ": command ").contains(" requires authentication: this embedded tracker database admits only the user "
                    + "who owns its data directory " + rootData + "; hint: ");
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.out()).doesNotContain("private-exp");
        }
        // A guessed secret is no better.
        CliRun.Result guessed = asNobody(Map.of(), "list", "--uri", uri.replace("mongodb://", "mongodb://tracker:guess@"));
        assertThat(guessed.code()).as(guessed.toString()).isEqualTo(5);
        assertThat(guessed.err()).startsWith("tracker: error: cannot authenticate to MongoDB at " + hosts);
        assertThat(rootState()).isEqualTo(before);
        assertThat(nobodyHome.resolve("data")).doesNotExist(); // and it started no server of its own
    }
}
