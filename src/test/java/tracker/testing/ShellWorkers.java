package tracker.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import tracker.output.Shell;

/**
 * Shell scripts that call {@code tracker} as a user's would: a {@code tracker} on the PATH (this
 * test JVM's classes, started as a process) and an environment with the test database and nothing
 * of the developer's own tracker settings.
 */
public final class ShellWorkers {
    private ShellWorkers() {
    }

    /** {@code DIR/bin/tracker}, made once: a launcher of tracker.Tracker on this JVM's class path. */
    public static Path launcher(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tracker = bin.resolve("tracker");
        if (!Files.exists(tracker)) {
            Files.writeString(tracker, "#!/bin/sh\nexec " + Shell.quote(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                    + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp "
                    + Shell.quote(System.getProperty("java.class.path")) + " tracker.Tracker \"$@\"\n");
            Files.setPosixFilePermissions(tracker, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return tracker;
    }

    /** The script's environment: HOME and TRACKER_HOME under {@code dir}, the test database, the launcher first on the PATH, no stdin. */
    public static void environment(ProcessBuilder pb, Path dir, Path tracker, TestDatabase db) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TRACKER_") || k.startsWith("XDG_"));
        env.put("HOME", dir.toString());
        env.put("TRACKER_HOME", dir.resolve("data").toString());
        env.put("TRACKER_URI", db.uri());
        env.put("TRACKER_DATABASE", db.name());
        env.put("NO_COLOR", "1");
        env.put("PATH", tracker.getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
}
