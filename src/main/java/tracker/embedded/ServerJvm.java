package tracker.embedded;

import java.util.List;
import java.util.Map;

/**
 * The JVM of the embedded server: a long-lived process that holds little - H2's page cache and a
 * few connections, about 30-60 MB after a full collection - plus each command's working set, the
 * largest a batch of 10,000 runs being created. ServerManager starts the server with these options;
 * the launcher passes them on (it reads {@link #LAUNCHER_ENV}); TRACKER_JAVA_OPTS, which comes after
 * them, still overrides any of them.
 *
 * <p>Measured (docs/benchmarks.md, "Memory of the embedded server"): with the serial collector and
 * 2 GB allowed, the resident set grew from 690 to 960 MB in ten minutes of worker traffic, and would
 * have gone on: the serial collector grows the old generation, full of dead cache pages, up to the
 * maximum before it ever collects it. G1 with 1 GB allowed went up and down between 230 and 1,150
 * MB, its heap sizing driven by pause times that a busy shared machine stretches. So: the serial
 * collector (no collector threads, the smallest overhead, pauses of a few milliseconds on a heap
 * this small) with a heap sized for the working set, where the resident set levels off. 192 MB
 * carries a 100,000-run experiment's create, reports and export (which used to need about 900 MB
 * before {@link ScanCursor}).
 */
final class ServerJvm {
    static final List<String> OPTIONS = List.of(
            "-XX:+UseSerialGC",
            "-Xms32m",                       // an idle server stays small
            "-Xmx192m",                      // live data and the largest working set, with room to spare
            "-XX:ReservedCodeCacheSize=64m", // the JIT's code of this program needs a fraction of that
            "-Xss512k",                      // netty's few threads need no more
            // A server out of memory answers nothing well again: better gone, so that the next
            // command starts it afresh (its data is on disk, safe against a kill at any point).
            "-XX:+ExitOnOutOfMemoryError");

    /** The environment variable through which the launcher gets {@link #OPTIONS}. */
    static final String LAUNCHER_ENV = "TRACKER_SERVER_JVM_OPTS";

    /**
     * glibc's malloc keeps an arena per thread that ever allocated (up to 8 per core), each holding on
     * to what it once needed (measured: 35 MB in one); the server's few threads need no more than two.
     */
    static final Map<String, String> ENV = Map.of("MALLOC_ARENA_MAX", "2");

    private ServerJvm() {
    }
}
