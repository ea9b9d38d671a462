package tracker.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * OS file locks shared between processes. POSIX record locks belong to the whole process and
 * closing any channel of a file drops all of its locks, so each lock file is opened once per
 * process and kept open; this class is the one place that does so.
 */
final class ProcessLocks {
    private static final Map<Path, FileChannel> CHANNELS = new HashMap<>();
    private static final Map<Path, FileLock> SHARED = new HashMap<>();

    private ProcessLocks() {
    }

    private static synchronized FileChannel channel(Path file) throws IOException {
        FileChannel ch = CHANNELS.get(file);
        if (ch == null || !ch.isOpen()) {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            CHANNELS.put(file, ch);
        }
        return ch;
    }

    /** Takes a shared lock and keeps it until this process exits (the OS drops it then, even on kill -9). */
    static synchronized void holdShared(Path file) throws IOException {
        if (SHARED.containsKey(file)) {
            return;
        }
        SHARED.put(file, channel(file).lock(0, Long.MAX_VALUE, true));
    }

    /** Runs {@code body} under an exclusive lock, waiting for other processes (and threads) to finish. */
    static <T> T withExclusive(Path file, IoSupplier<T> body) throws IOException {
        synchronized (lockObject(file)) {
            try (FileLock ignored = channel(file).lock()) {
                return body.get();
            }
        }
    }

    /** An exclusive lock if no other process holds the file, else null; the caller releases it. */
    static FileLock tryExclusive(Path file) throws IOException {
        try {
            return channel(file).tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this very process uses the server too
        }
    }

    private static final Map<Path, Object> MONITORS = new HashMap<>();

    private static synchronized Object lockObject(Path file) {
        return MONITORS.computeIfAbsent(file, f -> new Object());
    }

    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }
}
