package tracker.cli.options;

import java.util.LinkedHashSet;
import java.util.Set;

import picocli.CommandLine.Option;

/** -e EXPERIMENT plus --model/--dataset/--run filters, for the operator commands. */
public final class ExperimentSelection {
    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME",
            description = "The experiment: NAME (its latest version) or NAME@VERSION (default: $TRACKER_EXPERIMENT, else the config file's experiment).")
    public String experiment;

    @Option(names = "--model", paramLabel = "MODEL", split = ",", description = "Only runs of these models.")
    public Set<String> models = new LinkedHashSet<>();

    @Option(names = "--dataset", paramLabel = "DATASET", split = ",", description = "Only runs on these datasets.")
    public Set<String> datasets = new LinkedHashSet<>();

    @Option(names = "--run", paramLabel = "RUN", split = ",", description = "Only these runs.")
    public Set<String> runs = new LinkedHashSet<>();
}
