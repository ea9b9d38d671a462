package tracker.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.output.Shell;
import tracker.store.Claim;
import tracker.util.FloatText;

/**
 * How a claimed run is handed to a training command: parameter values as text, {@code --name=value}
 * words, and the TRACKER_* environment variables. {@code next -o env} and {@code run} share these
 * so a script sees the same thing either way.
 */
public final class ClaimValues {
    private ClaimValues() {
    }

    /** A parameter value as the command sees it: integers as integers, floats as {@link FloatText} writes them (32.0, 1e-05). */
    public static String text(Object v) {
        return v instanceof Double d ? FloatText.of(d) : String.valueOf(v);
    }

    /** {@code --name=value} per parameter, one word each (no quoting: for an argument vector). */
    public static List<String> argWords(Map<String, Object> params) {
        List<String> words = new ArrayList<>();
        params.forEach((k, v) -> words.add("--" + k + "=" + text(v)));
        return words;
    }

    /** The same words shell-quoted and joined, for {@code eval} and TRACKER_ARGS. */
    public static String shellArgs(Map<String, Object> params) {
        List<String> quoted = new ArrayList<>();
        for (String w : argWords(params)) {
            quoted.add(Shell.quote(w));
        }
        return String.join(" ", quoted);
    }

    /**
     * TRACKER_RUN, TRACKER_TOKEN, …, TRACKER_PARAM_NAME, TRACKER_ARGS, TRACKER_CHECKPOINT and, when
     * the definition gives the dataset attributes, TRACKER_DATASET_ATTRIBUTE.
     */
    public static Map<String, String> environment(Claim c, Map<String, Object> datasetAttributes) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("TRACKER_RUN", c.run());
        vars.put("TRACKER_TOKEN", c.token());
        vars.put("TRACKER_EXPERIMENT", c.experiment());
        vars.put("TRACKER_MODEL", c.model());
        vars.put("TRACKER_DATASET", c.dataset());
        vars.put("TRACKER_TRIAL", Integer.toString(c.trial()));
        vars.put("TRACKER_REPLICATE", Integer.toString(c.replicate()));
        vars.put("TRACKER_SEED", Long.toString(c.seed()));
        vars.put("TRACKER_ATTEMPT", Integer.toString(c.attempt()));
        c.params().forEach((k, v) -> vars.put("TRACKER_PARAM_" + Shell.envName(k), text(v)));
        vars.put("TRACKER_ARGS", shellArgs(c.params()));
        vars.put("TRACKER_CHECKPOINT", c.checkpoint() == null ? "" : c.checkpoint());
        datasetAttributes.forEach((k, v) -> vars.putIfAbsent("TRACKER_DATASET_" + Shell.envName(k), text(v)));
        return vars;
    }
}
