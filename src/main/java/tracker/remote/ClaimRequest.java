package tracker.remote;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The form of {@code POST /api/v1/experiments/E/next}: what to claim, and what the worker says
 * about itself for the run's provenance (as {@code next} records it from its own environment on
 * the database: host, user, pid, working directory, Slurm and Kubernetes job, git commit).
 */
public final class ClaimRequest {
    /** The Kubernetes variables the API takes (HOSTNAME is the pod's name again, and the host already). */
    private static final List<String> KUBERNETES = List.of("POD_NAME", "POD_NAMESPACE", "JOB_COMPLETION_INDEX");

    private ClaimRequest() {
    }

    public static Query form(String worker, String lease, Collection<String> models, Collection<String> datasets, String format,
                      Map<String, Object> provenance) {
        Query q = Query.of().add("worker", worker).add("lease", lease).addAll("model", models).addAll("dataset", datasets)
                .add("format", format);
        for (String k : List.of("host", "user", "pid", "cwd")) {
            q.add(k, provenance.get(k));
        }
        if (provenance.get("slurm") instanceof Map<?, ?> slurm) {
            slurm.forEach((k, v) -> q.add(String.valueOf(k), v));
        }
        if (provenance.get("kubernetes") instanceof Map<?, ?> k8s) {
            k8s.forEach((k, v) -> {
                if (KUBERNETES.contains(String.valueOf(k))) {
                    q.add(String.valueOf(k), v);
                }
            });
        }
        if (provenance.get("git") instanceof Map<?, ?> git && git.get("commit") != null) {
            q.add("git_commit", git.get("commit"));
        }
        return q;
    }
}
