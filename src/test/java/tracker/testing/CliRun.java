package tracker.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import tracker.Tracker;

/**
 * Runs tracker in this JVM through its real command line, with captured stdout and stderr and an
 * environment of the test's own (a private HOME, so no developer config leaks in).
 */
public final class CliRun {
    private final Map<String, String> env = new HashMap<>();

    private CliRun(Path home) {
        env.put("HOME", home.toString());
        env.put("TRACKER_HOME", home.resolve("data").toString());
        env.put("NO_COLOR", "1");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")); // for the commands 'tracker run' starts
    }

    public static CliRun in(Path tempDir) {
        return new CliRun(tempDir);
    }

    public CliRun env(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    /** The value of a variable of this environment (null when unset). */
    public String env(String key) {
        return env.get(key);
    }

    /** Points commands at the test database (embedded in-memory, or -Dtracker.test.uri). */
    public CliRun database(TestDatabase db) {
        env.put("TRACKER_URI", db.uri());
        env.put("TRACKER_DATABASE", db.name());
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Tracker.run(args, Map.copyOf(env), new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /** Writes a config file where tracker looks for it (XDG_CONFIG_HOME). */
    public Path config(String yaml) throws IOException {
        Path dir = Path.of(env.get("HOME"), ".config", "tracker");
        Files.createDirectories(dir);
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    public record Result(int code, String out, String err) {
        /** For assertion messages: both streams, so a failure shows what the user would have seen. */
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }
}
