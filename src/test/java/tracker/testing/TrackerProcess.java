package tracker.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * tracker as a separate OS process (the same class path as the tests), for the behaviour that only
 * real processes have: several starting at once, kill -9, exit codes, what reaches stdout.
 */
public final class TrackerProcess {
    private final Path home;
    private final Map<String, String> extraEnv;

    public TrackerProcess(Path home, Map<String, String> extraEnv) {
        this.home = home;
        this.extraEnv = extraEnv;
    }

    public TrackerProcess(Path home) {
        this(home, Map.of());
    }

    public Path trackerHome() {
        return home.resolve("data");
    }

    public Process start(String... args) throws IOException {
        return startMain("tracker.Tracker", args);
    }

    /** Starts another main class of the test class path (e.g. {@link WorkerLoop}) the same way. */
    public Process startMain(String mainClass, String... args) throws IOException {
        return builder(mainClass, args).start();
    }

    /** The process {@link #startMain} starts, to change before starting it (e.g. its stdin from a pipe). */
    public ProcessBuilder builder(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TRACKER_") || k.startsWith("XDG_"));
        env.put("HOME", home.toString());
        env.put("TRACKER_HOME", trackerHome().toString());
        env.put("NO_COLOR", "1");
        env.putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    /** Runs to completion (or kills it after {@code timeout}) and returns what it printed. */
    public CliRun.Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        Process p = start(args);
        return finish(p, timeout);
    }

    public static CliRun.Result finish(Process p, Duration timeout) throws IOException, InterruptedException {
        // Read both streams fully in the background so a chatty process never blocks on a full pipe.
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> out.complete(read(p.getInputStream()))).start();
        new Thread(() -> err.complete(read(p.getErrorStream()))).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("tracker did not finish within " + timeout);
        }
        return new CliRun.Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops whatever server is published in the home, forcibly; tests call it in @AfterEach. */
    public void killServer() throws IOException {
        Path info = trackerHome().resolve("server.json");
        if (!Files.exists(info)) {
            return;
        }
        String text = Files.readString(info);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pid\":\\s*(\\d+)").matcher(text);
        if (m.find()) {
            ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
