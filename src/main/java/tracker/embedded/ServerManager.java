package tracker.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.MongoCredential;

import tracker.ExitCode;
import tracker.TrackerException;
import tracker.util.Durations;
import tracker.util.PrivateFiles;

/**
 * The client side of the embedded default: finds the server of a data directory, or starts one in
 * the background, such that any number of processes starting at once end up sharing exactly one.
 */
public final class ServerManager {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Less free space than this where the data is, and a server that does not start is put down to a full disk. */
    private static final long MIN_FREE_BYTES = 1 << 20;

    private final Path home;
    private final ServerFiles files;
    private final Map<String, String> env;

    public ServerManager(Path home, Map<String, String> env) {
        this.home = home;
        this.files = new ServerFiles(home);
        this.env = env;
    }

    public Path home() {
        return home;
    }

    /** The running server, if there is one that accepts connections. */
    public Optional<ServerInfo> running() {
        ServerInfo info = ServerInfo.read(files.info());
        return info != null && info.serving() ? Optional.of(info) : Optional.empty();
    }

    /** Total size of the data directory's files. */
    public long sizeBytes() {
        return PrivateFiles.sizeOf(home);
    }

    /**
     * Returns a serving server, starting one if needed. From here until this process exits it
     * counts as a user of the server, which then does not stop for idleness.
     */
    public ServerInfo ensureRunning(StartOptions options) {
        try {
            checkOwner();
            PrivateFiles.directory(home);
            // Blocks only while a server is stopping for idleness; afterwards server.json is gone.
            ProcessLocks.holdShared(files.useLock());
            ServerInfo info = ServerInfo.read(files.info());
            if (info != null && info.serving()) {
                return info;
            }
            return ProcessLocks.withExclusive(files.startLock(), () -> startUnderLock(options));
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw startFailure("cannot use the embedded database in " + home + ": " + why,
                    "check that the directory is writable, or set TRACKER_HOME", e);
        }
    }

    /**
     * A server that could not start, or a data directory that could not be prepared: on a full disk
     * (its files, server.json, even its log cannot be written) that is what the user needs to hear.
     */
    private TrackerException startFailure(String message, String hint, Throwable cause) {
        try {
            if (Files.getFileStore(home).getUsableSpace() < MIN_FREE_BYTES) {
                return new TrackerException(ExitCode.UNREACHABLE, StoreFailure.diskFullMessage(home), null, cause);
            }
        } catch (IOException e) {
            // as it was: the original message
        }
        return new TrackerException(ExitCode.UNREACHABLE, message, hint, cause);
    }

    /** Refuses another user's data directory before touching it (its server would not admit us anyway). */
    private void checkOwner() throws IOException {
        FileOwner owner;
        try {
            owner = FileOwner.of(home);
        } catch (NoSuchFileException e) {
            return; // made below, as ours
        }
        if (owner != null && !owner.isCurrentUser()) {
            throw ServerSecret.notYours(home, owner);
        }
    }

    /**
     * What the driver presents to the running server: the secret in the data directory. Null for a
     * server started by a version of tracker before authentication (it has no secret and asks for none).
     */
    public MongoCredential credential() {
        ServerSecret secret = ServerSecret.read(files);
        return secret == null ? null : secret.credential();
    }

    /** The server's URI with the credentials in it, for mongosh or pymongo ({@code server status --show-uri}). */
    public String uriWithCredentials(ServerInfo info) {
        ServerSecret secret = ServerSecret.read(files);
        return secret == null ? info.uri() : secret.uri(info);
    }

    private ServerInfo startUnderLock(StartOptions options) throws IOException {
        ServerInfo info = ServerInfo.read(files.info());
        if (info != null && info.serving()) {
            return info; // another process started it while we waited for the lock
        }
        if (info != null) {
            // A crashed server's leftover (its pid is gone, or was reused by an unrelated process).
            Files.deleteIfExists(files.info());
        }
        Process child = spawn(options);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ServerInfo started = ServerInfo.read(files.info());
            if (started != null && started.serving()) {
                return started;
            }
            if (!child.isAlive() && child.exitValue() != 0) {
                throw startFailure("the embedded database did not start: " + logTail(), "see " + files.log(), null);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackerException(ExitCode.INTERNAL, "interrupted while starting the embedded database");
            }
        }
        throw startFailure("the embedded database did not start within " + Durations.format(START_TIMEOUT),
                "see " + files.log(), null);
    }

    /** Starts {@code tracker server start --foreground} detached from this process and its terminal. */
    private Process spawn(StartOptions options) throws IOException {
        List<String> command = new ArrayList<>();
        // A session of its own: Ctrl-C in the terminal of the process that started it, or closing
        // that terminal, must not stop a server that other workers share.
        for (String dir : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (new File(dir).canExecute()) {
                command.add(dir);
                break;
            }
        }
        command.addAll(selfCommand());
        command.addAll(List.of("server", "start", "--foreground",
                "--port", Integer.toString(options.port()),
                "--idle-timeout", Durations.format(options.idleTimeout()),
                "--bind", options.bindHost()));
        if (options.allowRemote()) {
            command.add("--allow-remote");
        }
        // Keep the previous run's log for post-mortems.
        if (Files.exists(files.log())) {
            Files.move(files.log(), files.log().resolveSibling("server.log.1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
                .redirectErrorStream(true);
        pb.environment().put("TRACKER_HOME", home.toString());
        pb.environment().put("TRACKER_JVM_ROLE", "server");
        pb.environment().put(ServerJvm.LAUNCHER_ENV, String.join(" ", ServerJvm.OPTIONS));
        pb.environment().putAll(ServerJvm.ENV);
        return pb.start();
    }

    /**
     * How to run this program again as the server: through the launcher script when we were started
     * by it (it adds the class-data archive and the {@link ServerJvm} options), else the same JVM and
     * class path with those options, or the same native executable.
     */
    private List<String> selfCommand() {
        String launcher = env.get("TRACKER_LAUNCHER");
        if (launcher != null && new File(launcher).canExecute()) {
            return List.of(launcher);
        }
        String exe = ProcessHandle.current().info().command().orElse("java");
        if (exe.endsWith("/java") || exe.equals("java")) {
            List<String> java = new ArrayList<>(List.of(exe, "-Xshare:auto"));
            java.addAll(ServerJvm.OPTIONS);
            java.addAll(List.of("-cp", System.getProperty("java.class.path"), "tracker.Tracker"));
            return java;
        }
        return List.of(exe); // a native executable: its own memory settings
    }

    /**
     * Stops the running server: SIGTERM, which makes it unpublish itself and close the store,
     * then SIGKILL if it has not gone within {@code timeout}.
     *
     * @return the server that was stopped, or empty when none was running
     */
    public Optional<ServerInfo> stop(Duration timeout) {
        ServerInfo info = ServerInfo.read(files.info());
        if (info == null || !info.processAlive()) {
            if (info != null) {
                try {
                    Files.deleteIfExists(files.info());
                } catch (IOException ignored) {
                    // a leftover that the next start replaces anyway
                }
            }
            return Optional.empty();
        }
        ProcessHandle process = ProcessHandle.of(info.pid()).orElseThrow();
        process.destroy();
        try {
            process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(info);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(files.log(), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("tracker: error: ")) {
                    return lines.get(i).substring("tracker: error: ".length());
                }
            }
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "no log";
        }
    }

    /** How to start a server when there is none. */
    public record StartOptions(int port, Duration idleTimeout, String bindHost, boolean allowRemote) {
        public static StartOptions defaults(int port, Duration idleTimeout) {
            return new StartOptions(port, idleTimeout, "127.0.0.1", false);
        }
    }
}
