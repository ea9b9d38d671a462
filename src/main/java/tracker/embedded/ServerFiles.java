package tracker.embedded;

import java.nio.file.Path;

/**
 * The files of one embedded server, all in its data directory (TRACKER_HOME):
 * <ul>
 *   <li>{@code data.mv.db} – the H2 store; only one process can open it.</li>
 *   <li>{@code server.json} – pid, address and start time of the running server, written once it
 *       listens and removed when it stops (a leftover after a crash is detected as stale).</li>
 *   <li>{@code start.lock} – held while a process checks for and starts the server, so that many
 *       processes starting at once end up with exactly one server.</li>
 *   <li>{@code use.lock} – every client process holds it shared for its lifetime; the server stops
 *       for idleness only when it can take it exclusively, i.e. when no client is alive.</li>
 *   <li>{@code server.log} – the server's own stdout and stderr.</li>
 *   <li>{@code secret} – what clients prove they know to be admitted ({@link ServerSecret}), mode 0600.</li>
 * </ul>
 */
public record ServerFiles(Path dir) {
    public Path data() {
        return dir.resolve("data.mv.db");
    }

    public Path info() {
        return dir.resolve("server.json");
    }

    public Path startLock() {
        return dir.resolve("start.lock");
    }

    public Path useLock() {
        return dir.resolve("use.lock");
    }

    public Path log() {
        return dir.resolve("server.log");
    }

    public Path secret() {
        return dir.resolve("secret");
    }
}
