package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.DebianPackages;
import tracker.testing.TestDatabase;
import tracker.testing.TrackerProcess;

/**
 * Leases are judged on the database server's clock, not on each worker's: a worker whose clock is
 * ten minutes fast does not take over a healthy run, one ten minutes slow still reclaims a dead
 * one, and both are warned. The workers' clocks are shifted for real, per process, with
 * libfaketime (Debian's faketime package).
 */
class ClockSkewProcessTest {
    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @BeforeAll
    static void libfaketime() {
        String problem = DebianPackages.ensure(FAKETIME, "faketime", "libfaketime");
        assumeTrue(problem == null, () -> "skipped: libfaketime is needed to shift a worker's clock, and " + problem);
    }

    /** A worker process whose clock is off by {@code shift} (faketime syntax: "+10m", "-10m"). */
    TrackerProcess worker(String shift) {
        return new TrackerProcess(tmp, Map.of("TRACKER_URI", DB.uri(), "TRACKER_DATABASE", DB.name(),
                "LD_PRELOAD", FAKETIME.toString(), "FAKETIME", shift,
                // The JVM times its own waits with the monotonic clock: shifting that one breaks it.
                "FAKETIME_DONT_FAKE_MONOTONIC", "1"));
    }

    void create(String name, String lease) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [d1]
                models:
                  m: {datasets: [d1], params: {x: [1, 2]}}
                search: {method: grid}
                runs: {lease: %s}
                """.formatted(name, lease));
        assertThat(CliRun.in(tmp).database(DB).run("create", f.toString()).code()).isZero();
    }

    Map<String, Object> next(TrackerProcess worker, String name) throws Exception {
        CliRun.Result r = worker.run(Duration.ofMinutes(1), "next", "-e", name);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("warning: this machine's clock is");
        return Json.parseObject(r.out().strip());
    }

    @Test
    void a_worker_with_a_fast_clock_does_not_take_over_a_healthy_run() throws Exception {
        create("fast", "2m");
        Map<String, Object> first = Json.parseObject(CliRun.in(tmp).database(DB).run("next", "-e", "fast").out().strip());
        Map<String, Object> second = next(worker("+10m"), "fast");
        assertThat(second.get("run")).as("a fresh run, not the one in flight").isNotEqualTo(first.get("run"));
        assertThat(second.get("attempt")).isEqualTo(1L);
        CliRun.Result r = CliRun.in(tmp).database(DB).run("end", "--run", (String) first.get("run"), "--token",
                (String) first.get("token"), "--status", "completed");
        assertThat(r.code()).as("the first worker still holds its run: " + r).isZero();
    }

    @Test
    void a_worker_with_a_slow_clock_still_reclaims_a_dead_run() throws Exception {
        create("slow", "1s");
        Map<String, Object> dead = Json.parseObject(CliRun.in(tmp).database(DB).run("next", "-e", "slow").out().strip());
        CliRun.Result other = CliRun.in(tmp).database(DB).run("next", "-e", "slow");
        assertThat(other.code()).isZero();
        Thread.sleep(1500); // both leases are over, by the server's clock
        Map<String, Object> rescue = next(worker("-10m"), "slow");
        assertThat(rescue.get("attempt")).as("an expired run, taken over").isEqualTo(2L);
        assertThat(rescue.get("run")).isIn(dead.get("run"), Json.parseObject(other.out().strip()).get("run"));
    }
}
