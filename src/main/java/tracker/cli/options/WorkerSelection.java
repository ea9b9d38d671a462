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
        return filter(exp.id(), exp.models(), exp.datasets());
    }

    /** The same, for an experiment known by its id, models and datasets (as tracker serve describes it). */
    public Claims.Filter filter(String experimentId, java.util.List<String> expModels, java.util.List<String> expDatasets) {
        for (String m : models) {
            if (!expModels.contains(m)) {
                throw TrackerException.usage("experiment " + experimentId + " has no model '" + m + "'", "its models: " + String.join(", ", expModels));
            }
        }
        for (String d : datasets) {
            if (!expDatasets.contains(d)) {
                throw TrackerException.usage("experiment " + experimentId + " has no dataset '" + d + "'", "its datasets: " + String.join(", ", expDatasets));
            }
        }
        return new Claims.Filter(models, datasets);
    }
}
