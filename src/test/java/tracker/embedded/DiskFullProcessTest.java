package tracker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TrackerProcess;

/**
 * The embedded database on a full disk (a small tmpfs as TRACKER_HOME): the write that does not fit
 * fails with exit 5 and a line that says so, everything acknowledged before is still there, and once
 * there is space again the next command works (on a new server: the old one stopped). Real tracker
 * processes, so that no file in the mount stays open in the test's JVM. Mounting needs root; skipped
 * where it is impossible.
 */
class DiskFullProcessTest {
    private static final Duration T = Duration.ofSeconds(90);
    private static final int METRICS_PER_EPOCH = 200;

    @TempDir
    Path tmp;

    private Path disk;
    private boolean mounted;
    private TrackerProcess tracker;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectory(tmp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).strip();
        mounted = mount.waitFor() == 0;
        assumeTrue(mounted, "skipped: cannot mount a tmpfs here (needs root): " + said);
        tracker = new TrackerProcess(tmp, Map.of("TRACKER_HOME", disk.resolve("data").toString()));
    }

    @AfterEach
    void unmount() throws Exception {
        if (!mounted) {
            return;
        }
        ServerInfo info = ServerInfo.read(new ServerFiles(disk.resolve("data")).info());
        if (info != null) {
            ProcessHandle.of(info.pid()).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
        }
        Process umount = new ProcessBuilder("umount", disk.toString()).redirectErrorStream(true).start();
        umount.getInputStream().readAllBytes();
        assertThat(umount.waitFor()).as("umount " + disk).isZero();
    }

    private CliRun.Result run(String... args) throws Exception {
        return tracker.run(T, args);
    }

    private CliRun.Result log(Map<String, Object> claim, int epoch) throws Exception {
        List<String> args = new ArrayList<>(List.of("log", "--run", (String) claim.get("run"), "--token",
                (String) claim.get("token"), "--epoch", Integer.toString(epoch)));
        for (int m = 0; m < METRICS_PER_EPOCH; m++) {
            args.add("train.metric_number_" + m + "=" + (epoch + m / 1000.0));
        }
        return run(args.toArray(String[]::new));
    }

    /** Fills the disk with one file, then frees {@code spare} bytes of it again. */
    private static Path fill(Path dir, long spare) throws IOException {
        return fill(dir, "filler", spare);
    }

    private static Path fill(Path dir, String name, long spare) throws IOException {
        Path filler = dir.resolve(name);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full
        }
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() - spare));
        }
        return filler;
    }

    @Test
    void a_full_disk_fails_log_with_exit_5_keeps_what_was_acknowledged_and_works_once_there_is_space() throws Exception {
        Path def = tmp.resolve("exp.yaml");
        Files.writeString(def, "name: full\nobjective: {metric: metric_number_0, phase: train, goal: minimize}\n"
                + "datasets: [a]\nmodels:\n  m: {datasets: [a], params: {k: [1]}}\nsearch: {trials: 1, replicates: 1}\n");
        assertThat(run("create", def.toString()).code()).isZero();
        CliRun.Result next = run("next", "-e", "full", "-o", "json");
        assertThat(next.code()).as(next.toString()).isZero();
        Map<String, Object> claim = Json.parseObject(next.out().strip());
        long firstServer = ((Number) Json.parseObject(run("server", "status", "-o", "json").out().strip()).get("pid")).longValue();

        Path filler = fill(disk, 128 * 1024); // room for a few logs (about 30 KiB each)
        List<Integer> acknowledged = new ArrayList<>();
        CliRun.Result failed = null;
        for (int epoch = 1; epoch <= 40 && failed == null; epoch++) {
            CliRun.Result r = log(claim, epoch);
            if (r.code() == 0) {
                acknowledged.add(epoch);
            } else {
                failed = r;
            }
        }
        assertThat(failed).as("a log that did not fit (acknowledged: %s)", acknowledged).isNotNull();
        assertThat(failed.code()).as(failed.toString()).isEqualTo(5);
        String full = "tracker: error: the disk holding " + disk.resolve("data")
                + " is full: nothing more can be written (what was acknowledged is kept); free space and try again\n";
        assertThat(failed.err()).as(failed.toString()).isEqualTo(full);
        assertThat(acknowledged).as("logs that fitted before the disk was full").isNotEmpty();
        // The server stops itself: its store closed on the failed write and must be reopened.
        assertThat(ProcessHandle.of(firstServer).map(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join().isAlive())
                .orElse(false)).isFalse();
        // Still full: the next command says the same (whether a new server cannot start or cannot write). What the
        // failed write had taken may have been given back when its store closed: the disk is filled to the brim again.
        Path brim = fill(disk, "brim", 0);
        CliRun.Result stillFull = log(claim, acknowledged.get(acknowledged.size() - 1) + 1);
        assertThat(stillFull.code()).as(stillFull.toString()).isEqualTo(5);
        assertThat(stillFull.err()).as(stillFull.toString()).isEqualTo(full);

        Files.delete(filler);
        Files.delete(brim);
        CliRun.Result show = run("show", (String) claim.get("run"), "-o", "json");
        assertThat(show.code()).as(show.toString()).isZero();
        List<?> epochs = (List<?>) Json.parseObject(show.out().strip()).get("epochs");
        assertThat(epochs).extracting(e -> ((Number) ((Map<?, ?>) e).get("epoch")).intValue()).containsExactlyElementsOf(acknowledged);
        for (Object e : epochs) {
            Map<?, ?> row = (Map<?, ?>) e;
            int epoch = ((Number) row.get("epoch")).intValue();
            assertThat(((Number) row.get("train.metric_number_" + (METRICS_PER_EPOCH - 1))).doubleValue())
                    .isEqualTo(epoch + (METRICS_PER_EPOCH - 1) / 1000.0);
        }
        int again = acknowledged.get(acknowledged.size() - 1) + 1;
        assertThat(log(claim, again).code()).isZero();
        CliRun.Result end = run("end", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"),
                "--status", "completed");
        assertThat(end.code()).as(end.toString()).isZero();
        long secondServer = ((Number) Json.parseObject(run("server", "status", "-o", "json").out().strip()).get("pid")).longValue();
        assertThat(secondServer).isNotEqualTo(firstServer);
    }
}
