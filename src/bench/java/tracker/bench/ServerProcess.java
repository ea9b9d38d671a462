package tracker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The embedded server as its own process, as tracker starts it, for benchmarks that measure it from outside. */
final class ServerProcess {
    private ServerProcess() {
    }

    /**
     * The environment of tracker commands on the embedded database in {@code home}: the server they
     * start runs through {@code target/tracker} when it has been built (the launcher's JVM and class-data
     * archive, with ServerManager's flags), else through this JVM's java.
     */
    static Map<String, String> env(Path home) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "TRACKER_HOME", home.toString(),
                "NO_COLOR", "1"));
        Path launcher = Path.of("target/tracker").toAbsolutePath();
        if (Files.isExecutable(launcher)) {
            env.put("TRACKER_LAUNCHER", launcher.toString());
        }
        return env;
    }

    /** A field of /proc/PID/status in kB, e.g. VmRSS (resident now) or VmHWM (the peak). */
    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field + " for " + pid);
    }
}
