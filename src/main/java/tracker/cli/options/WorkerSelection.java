package tracker.cli.options;

import java.util.LinkedHashSet;
import java.util.Set;

import picocli.CommandLine.Option;
import tracker.TrackerException;
import tracker.store.Claims;
import tracker.store.ExperimentRecord;

/** -e EXPERIMENT plus the --model/--dataset cells a worker serves, for next and run. */
public final class WorkerSelection {
    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    public String experiment;

    @Option(names = "--model", paramLabel = "MODEL", split = ",", description = "Serve only these models (repeatable, or comma-separated).")
    public Set<String> models = new LinkedHashSet<>();

    @Option(names = "--dataset", paramLabel = "DATASET", split = ",", description = "Serve only these datasets.")
    public Set<String> datasets = new LinkedHashSet<>();

    /** The filter, after checking that the experiment has every model and dataset named (a usage error if not). */
    public Claims.Filter filter(ExperimentRecord exp) {
        for (String m : models) {
            if (!exp.models().contains(m)) {
                throw TrackerException.usage("experiment " + exp.id() + " has no model '" + m + "'", "its models: " + String.join(", ", exp.models()));
            }
        }
        for (String d : datasets) {
            if (!exp.datasets().contains(d)) {
                throw TrackerException.usage("experiment " + exp.id() + " has no dataset '" + d + "'", "its datasets: " + String.join(", ", exp.datasets()));
            }
        }
        return new Claims.Filter(models, datasets);
    }
}
