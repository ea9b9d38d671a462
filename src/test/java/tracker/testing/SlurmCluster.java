package tracker.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real one-node Slurm cluster for a test: Debian's {@code slurm-wlm} and {@code munge}, installed
 * with apt-get when missing, with a configuration, state and spool of its own in a temporary
 * directory and ports of its own, so it neither needs nor touches a system-wide Slurm. Its three
 * daemons - munged, slurmctld, slurmd - run in the foreground as children of the test JVM (there
 * is no systemd in a container). Needs root: slurmd starts job steps as their submitting user.
 *
 * <p>Jobs end up as processes of slurmstepd, which is no child of the JVM: {@link #close()} cancels
 * every job and waits for it before it stops the daemons, then kills whatever still works in the
 * cluster's directories (found by the working directory of the process), and deletes them.
 */
public final class SlurmCluster implements AutoCloseable {
    /** Job states after which nothing of a job runs any more (squeue/scontrol vocabulary). */
    public static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY");
    private static final Path SLURMCTLD = Path.of("/usr/sbin/slurmctld");
    private static final List<Path> PROGRAMS = List.of(SLURMCTLD, Path.of("/usr/sbin/slurmd"), Path.of("/usr/sbin/munged"),
            Path.of("/usr/bin/sbatch"), Path.of("/usr/bin/scontrol"), Path.of("/usr/bin/sinfo"), Path.of("/usr/bin/squeue"), Path.of("/usr/bin/scancel"));
    private static final Pattern FIELD = Pattern.compile("(?:^|\\s)(\\w+)=(\\S*)");

    private final Path dir;
    private final Path conf;
    private final List<Daemon> daemons = new ArrayList<>();
    private final List<Path> workDirs = new ArrayList<>();

    /** Why a cluster cannot run on this machine: the test skips with this message. */
    public static final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why);
        }
    }

    /** One array task as {@code scontrol show job} reports it ({@code task} may be a range of pending ones). */
    public record ArrayTask(String task, String state, String exitCode) {
        @Override
        public String toString() {
            return "task " + task + " " + state + " (exit " + exitCode + ")";
        }
    }

    private SlurmCluster(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
    }

    /**
     * Installs the packages if needed and starts a cluster whose node is idle.
     *
     * @throws Unavailable when the packages cannot be installed or the daemons cannot start here
     */
    public static SlurmCluster start() throws Unavailable, IOException, InterruptedException {
        if (!Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) {
            throw new Unavailable("slurmd needs root to start job steps, and this runs as " + System.getProperty("user.name"));
        }
        String problem = DebianPackages.ensure(SLURMCTLD, "slurm-wlm", "munge");
        if (problem != null) {
            throw new Unavailable("Slurm cannot be installed: " + problem);
        }
        for (Path program : PROGRAMS) {
            if (!Files.isExecutable(program)) {
                throw new Unavailable("slurm-wlm and munge are installed, but " + program + " is not there");
            }
        }
        // munged insists that every directory above its socket is searchable by everyone.
        Path dir = Files.createTempDirectory("tracker-slurm-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SlurmCluster cluster = new SlurmCluster(dir);
        try {
            cluster.boot();
            return cluster;
        } catch (Unavailable | IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void boot() throws Unavailable, IOException, InterruptedException {
        Path secret = Files.createDirectories(dir.resolve("munge"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path socketDir = Files.createDirectories(dir.resolve("munge-socket"));
        Path key = secret.resolve("munge.key");
        byte[] keyBytes = new byte[1024];
        new SecureRandom().nextBytes(keyBytes);
        Files.write(key, keyBytes);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Path socket = socketDir.resolve("munge.socket");
        daemon("munged", "munged", "--foreground", "--key-file=" + key, "--socket=" + socket,
                "--pid-file=" + socketDir.resolve("munged.pid"), "--log-file=" + secret.resolve("munged.log"),
                "--seed-file=" + secret.resolve("munged.seed"));
        waitFor(() -> Files.exists(socket), Duration.ofSeconds(20), "munged did not create its socket", secret.resolve("munged.log"));

        // The node as slurmd sees it (hostname, CPUs, sockets, memory): a node configured with more
        // than it has would be drained at once.
        Output probe = run(List.of("slurmd", "-C"), dir, Map.of(), Duration.ofSeconds(30));
        String node = probe.text().lines().filter(l -> l.startsWith("NodeName=")).findFirst()
                .orElseThrow(() -> new Unavailable("slurmd -C does not describe this node: " + probe));
        String host = field(node, "NodeName");
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));
        Files.createDirectories(dir.resolve("log"));
        Files.writeString(conf, """
                # A one-node cluster for tracker's tests: root runs everything; no cgroups and no systemd
                # (processes are tracked through their parents, nothing is confined); no accounting
                # database: scontrol keeps finished jobs for MinJobAge (10 minutes), which is what the tests read.
                ClusterName=trackertest
                SlurmctldHost=%1$s(127.0.0.1)
                SlurmctldPort=%2$d
                SlurmdPort=%3$d
                SlurmUser=root
                SlurmdUser=root
                AuthType=auth/munge
                CredType=cred/munge
                AuthInfo=socket=%4$s
                StateSaveLocation=%5$s/state
                SlurmdSpoolDir=%5$s/spool
                SlurmctldPidFile=%5$s/slurmctld.pid
                SlurmdPidFile=%5$s/slurmd.pid
                SlurmctldLogFile=%5$s/log/slurmctld.log
                SlurmdLogFile=%5$s/log/slurmd.log
                ProctrackType=proctrack/linuxproc
                TaskPlugin=task/none
                JobAcctGatherType=jobacct_gather/none
                AccountingStorageType=accounting_storage/none
                MailProg=/bin/true
                MpiDefault=none
                SchedulerType=sched/backfill
                SelectType=select/cons_tres
                SelectTypeParameters=CR_CPU
                ReturnToService=2
                MinJobAge=600
                # Slurm's default, said out loud: SIGTERM, then 30 s before SIGKILL - more than tracker run's --grace (15 s).
                KillWait=30
                %6$s NodeAddr=127.0.0.1 State=UNKNOWN
                PartitionName=test Nodes=%1$s Default=YES MaxTime=INFINITE State=UP
                """.formatted(host, freePort(), freePort(), socket, dir, node.strip()));
        daemon("slurmctld", "slurmctld", "-D", "-f", conf.toString());
        daemon("slurmd", "slurmd", "-D", "-f", conf.toString());
        waitFor(() -> run(List.of("sinfo", "-h", "-N", "-o", "%T"), dir, Map.of(), Duration.ofSeconds(10)).text().strip()
                .equals("idle"), Duration.ofSeconds(60), "the node did not come up idle", dir.resolve("log/slurmctld.log"),
                dir.resolve("log/slurmd.log"));
    }

    /** The environment that points Slurm's commands - and the jobs they submit - at this cluster. */
    public Map<String, String> env() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    /**
     * Submits a batch script from {@code submitDir} with {@code env} as the job's environment
     * (sbatch exports it) and registers the directory for {@link #processesIn} and clean-up.
     *
     * @return the job id
     */
    public String submit(Path submitDir, Map<String, String> env, String... sbatchArgs) throws IOException, InterruptedException {
        workDirs.add(submitDir);
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(List.of(sbatchArgs));
        Output out = run(cmd, submitDir, env, Duration.ofSeconds(30));
        if (out.code() != 0 || !out.text().strip().matches("\\d+(;\\S+)?")) {
            throw new AssertionError("sbatch failed: " + out);
        }
        return out.text().strip().split(";")[0];
    }

    /** The tasks of an array job as scontrol sees them now. */
    public List<ArrayTask> tasks(String jobId) throws IOException, InterruptedException {
        Output out = run(List.of("scontrol", "-o", "show", "job", jobId), dir, Map.of(), Duration.ofSeconds(30));
        if (out.code() != 0) {
            throw new AssertionError("scontrol show job " + jobId + " failed: " + out);
        }
        return out.text().lines().filter(l -> l.startsWith("JobId="))
                .map(l -> new ArrayTask(field(l, "ArrayTaskId"), field(l, "JobState"), field(l, "ExitCode"))).toList();
    }

    /** Waits until every task of the job has ended, and returns them. */
    public List<ArrayTask> awaitEnd(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ArrayTask> tasks = tasks(jobId);
            if (!tasks.isEmpty() && tasks.stream().allMatch(t -> ENDED.contains(t.state()))) {
                return tasks;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still not over after " + timeout + ": " + tasks);
            }
            Thread.sleep(500);
        }
    }

    /** scancel: Slurm's SIGCONT + SIGTERM to every process of the job's steps, SIGKILL after KillWait. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        Output out = run(List.of("scancel", jobId), dir, Map.of(), Duration.ofSeconds(30));
        if (out.code() != 0) {
            throw new AssertionError("scancel " + jobId + " failed: " + out);
        }
    }

    /** Processes whose working directory is {@code workDir} or below it: what a job left behind. */
    public static List<String> processesIn(Path workDir) {
        Path root = workDir.toAbsolutePath().normalize();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(root);
                        } catch (IOException | RuntimeException e) {
                            return false; // gone meanwhile, or not ours to look at
                        }
                    })
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        }
    }

    /** The daemons' logs, for a failure message. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("slurmctld.log", "slurmd.log")) {
            b.append("--- ").append(name).append(" (end) ---\n").append(tail(dir.resolve("log").resolve(name), 30));
        }
        return b.toString();
    }

    /**
     * Cancels every job and waits for them to go, then kills whatever still works in a directory a
     * job was submitted from (a process that left its job's process tree): between tests, so that
     * one test's jobs never run into the next.
     */
    public void cancelAll() {
        try {
            if (Files.exists(conf)) {
                Output jobs = run(List.of("squeue", "-h", "-o", "%A"), dir, Map.of(), Duration.ofSeconds(10));
                for (String job : jobs.text().lines().map(String::strip).filter(s -> s.matches("\\d+")).distinct().toList()) {
                    run(List.of("scancel", job), dir, Map.of(), Duration.ofSeconds(10));
                }
                // KillWait is 30 s: give the jobs that long to go before anything is killed under them
                // (no controller to ask - it never started, or died - means no jobs to wait for).
                waitFor(() -> {
                    Output queue = run(List.of("squeue", "-h"), dir, Map.of(), Duration.ofSeconds(10));
                    return queue.code() != 0 || queue.text().isBlank();
                }, Duration.ofSeconds(40), "jobs still queued", dir.resolve("log/slurmctld.log"));
            }
        } catch (Unavailable | IOException | RuntimeException e) {
            System.err.println("SlurmCluster: cancelling its jobs: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workDirs.forEach(SlurmCluster::killProcessesIn);
        workDirs.clear();
    }

    /** Cancels every job, stops the daemons, kills what jobs left behind and deletes the cluster's directory. */
    @Override
    public void close() {
        cancelAll();
        for (int i = daemons.size() - 1; i >= 0; i--) {
            stop(daemons.get(i).process());
        }
        killProcessesIn(dir); // slurmstepd and the like, once the daemons (whose directory it is too) are gone
        deleteTree(dir);
    }

    private static void killProcessesIn(Path workDir) {
        for (String p : processesIn(workDir)) {
            System.err.println("SlurmCluster: killing a process left in " + workDir + ": " + p);
            ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private record Daemon(String name, Process process, Path output) {
    }

    private void daemon(String name, String... argv) throws Unavailable {
        Path log = dir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("SLURM_CONF", conf.toString());
        try {
            daemons.add(new Daemon(name, pb.start(), log));
        } catch (IOException e) {
            throw new Unavailable("cannot start " + name + ": " + e.getMessage());
        }
    }

    private interface Check {
        boolean holds() throws IOException, InterruptedException;
    }

    private void waitFor(Check check, Duration timeout, String what, Path... logs) throws Unavailable, IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            for (Daemon d : daemons) {
                if (!d.process().isAlive()) {
                    throw new Unavailable(d.name() + " exited with " + d.process().exitValue() + ": " + tail(d.output(), 5).strip()
                            + tails(logs));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new Unavailable(what + " within " + timeout.toSeconds() + " s" + tails(logs));
            }
            Thread.sleep(200);
        }
    }

    private static String tails(Path... logs) {
        StringBuilder b = new StringBuilder();
        for (Path log : logs) {
            b.append("\n--- ").append(log.getFileName()).append(" (end) ---\n").append(tail(log, 15));
        }
        return b.toString();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(no " + file + ")\n";
        }
    }

    private record Output(int code, String text) {
        @Override
        public String toString() {
            return "exit " + code + ": " + text.strip();
        }
    }

    private Output run(List<String> cmd, Path cwd, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> e = new HashMap<>(env);
        e.putAll(env());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_"));
        pb.environment().putAll(e);
        Process p = pb.start();
        var text = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> {
            try {
                text.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ex) {
                text.complete("");
            }
        }).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout);
        }
        return new Output(p.exitValue(), text.join());
    }

    private static String field(String line, String key) {
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            if (m.group(1).equals(key)) {
                return m.group(2);
            }
        }
        return "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("SlurmCluster: cannot delete " + root + ": " + e.getMessage());
        }
    }
}
