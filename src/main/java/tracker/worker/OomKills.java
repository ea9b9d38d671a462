package tracker.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the kernel's OOM killer ended a command. A process it kills just dies of SIGKILL, like
 * one killed by anything else; what tells them apart is the kernel's count of OOM kills, read
 * before the command starts and after it dies: {@code oom_kill} in {@code memory.events} (cgroup
 * v2) or {@code memory.oom_control} (cgroup v1) of this process's memory cgroup and each cgroup
 * above it (where a Slurm job's or a container's limit is), and the machine-wide count in
 * {@code /proc/vmstat}. A count that went up while a command died of SIGKILL is good evidence,
 * not proof: another process OOM-killed at the same moment while this one was killed by someone
 * else would look the same. Where none of these files can be read (not Linux, no /proc) nothing
 * is ever called out of memory.
 */
public final class OomKills {
    /** The counters read, by file, at one moment. */
    public record Snapshot(Map<Path, Long> counts) {
    }

    private final List<Path> counters;

    OomKills(List<Path> counters) {
        this.counters = List.copyOf(counters);
    }

    /** The counters that concern this process, under the usual mount points. */
    public static OomKills ofThisProcess() {
        return of(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    /** The same under other roots (of {@code /proc} and of the cgroup file systems). */
    static OomKills of(Path proc, Path cgroupRoot) {
        List<Path> counters = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(proc.resolve("self/cgroup"))) {
                // "0::/user.slice/x" (v2) or "4:memory:/slurm/uid_1/job_7" (v1)
                String[] parts = line.split(":", 3);
                if (parts.length < 3) {
                    continue;
                }
                if (parts[0].equals("0") && parts[1].isEmpty()) {
                    addUp(counters, cgroupRoot, cgroupRoot.resolve(relative(parts[2])), "memory.events");
                    addUp(counters, cgroupRoot.resolve("unified"), cgroupRoot.resolve("unified").resolve(relative(parts[2])), "memory.events");
                } else if (List.of(parts[1].split(",")).contains("memory")) {
                    Path v1 = cgroupRoot.resolve("memory");
                    addUp(counters, v1, v1.resolve(relative(parts[2])), "memory.oom_control");
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroups to read: the machine-wide count alone
        }
        counters.add(proc.resolve("vmstat"));
        return new OomKills(counters.stream().filter(Files::isReadable).distinct().toList());
    }

    private static String relative(String cgroupPath) {
        return cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    }

    /** The file in {@code dir} and in every directory above it up to {@code root}, nearest first. */
    private static void addUp(List<Path> out, Path root, Path dir, String file) {
        Path d = dir.normalize();
        Path top = root.normalize();
        while (d != null && d.startsWith(top)) {
            out.add(d.resolve(file));
            d = d.getParent();
        }
    }

    public Snapshot read() {
        Map<Path, Long> counts = new LinkedHashMap<>();
        for (Path p : counters) {
            Long n = oomKills(p);
            if (n != null) {
                counts.put(p, n);
            }
        }
        return new Snapshot(counts);
    }

    /** The "oom_kill N" line of one of these files, or null. */
    static Long oomKills(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or unreadable: no evidence from it
        }
        return null;
    }

    /** What says the OOM killer struck between two snapshots ("oom_kill in /sys/.../memory.events went 0 → 1"), or null. */
    public static String evidence(Snapshot before, Snapshot after) {
        for (Map.Entry<Path, Long> e : after.counts().entrySet()) {
            Long was = before.counts().get(e.getKey());
            if (was != null && e.getValue() > was) {
                return "oom_kill in " + e.getKey() + " went " + was + " → " + e.getValue();
            }
        }
        return null;
    }
}
