package tracker.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a claim records about who took the run, so that it can be traced and reproduced: host,
 * user, pid, worker id, working directory, cluster job (Slurm, Kubernetes) and the code version
 * (git commit and dirty flag of the working directory, when it is a repository).
 */
public final class Provenance {
    private static final List<String> SLURM = List.of("SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID",
            "SLURM_JOB_NAME", "SLURM_PROCID", "SLURM_NODEID", "SLURM_CLUSTER_NAME");
    private static final List<String> KUBERNETES = List.of("POD_NAME", "POD_NAMESPACE", "JOB_COMPLETION_INDEX", "HOSTNAME");

    private Provenance() {
    }

    public static String host(Map<String, String> env) {
        try {
            String h = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String h = env.get("HOSTNAME");
        return h != null && !h.isBlank() ? h : "localhost";
    }

    /** The default worker id: host:pid. */
    public static String defaultWorker(Map<String, String> env) {
        return host(env) + ":" + ProcessHandle.current().pid();
    }

    public static Map<String, Object> collect(Map<String, String> env, String worker) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("host", host(env));
        p.put("user", System.getProperty("user.name"));
        p.put("pid", ProcessHandle.current().pid());
        p.put("worker", worker);
        p.put("cwd", System.getProperty("user.dir"));
        p.put("time", Instant.now().toString());
        Map<String, Object> slurm = pick(env, SLURM);
        if (!slurm.isEmpty()) {
            p.put("slurm", slurm);
        }
        if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
            p.put("kubernetes", pick(env, KUBERNETES));
        }
        Map<String, Object> git = git(Path.of(System.getProperty("user.dir")));
        if (git != null) {
            p.put("git", git);
        }
        return p;
    }

    private static Map<String, Object> pick(Map<String, String> env, List<String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String n : names) {
            if (env.get(n) != null) {
                m.put(n, env.get(n));
            }
        }
        return m;
    }

    /** Commit and dirty flag of the repository containing {@code dir}, or null when there is none. */
    static Map<String, Object> git(Path dir) {
        Path d = dir.toAbsolutePath();
        while (d != null && !Files.exists(d.resolve(".git"))) {
            d = d.getParent();
        }
        if (d == null) {
            return null;
        }
        String commit = run(d, "git", "rev-parse", "HEAD");
        if (commit == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("root", d.toString());
        m.put("commit", commit.trim());
        String status = run(d, "git", "status", "--porcelain", "--untracked-files=no");
        m.put("dirty", status == null ? null : !status.isBlank());
        return m;
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
