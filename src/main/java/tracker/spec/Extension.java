package tracker.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a changed definition only adds to the old one - new models, datasets or suites, more
 * trials or replicates - so that {@code create --extend} may plan the new runs next to the old
 * ones, whose results stay valid. Descriptions, tags and priorities may change too; anything else
 * would make old and new runs incomparable and is refused.
 */
public final class Extension {
    private Extension() {
    }

    /** A model whose priority the extension changes (its own, or runs.priority that it inherits). */
    public record Repriced(String model, int from, int to) {
    }

    /** The models of both definitions whose priority differs, in name order: their cells take the new one. */
    public static List<Repriced> repriced(Definition before, Definition after) {
        List<Repriced> out = new ArrayList<>();
        before.models().forEach((name, m) -> {
            Definition.Model now = after.models().get(name);
            if (now != null && before.priorityOf(m) != after.priorityOf(now)) {
                out.add(new Repriced(name, before.priorityOf(m), after.priorityOf(now)));
            }
        });
        return out;
    }

    /** The changes that are not additive, one readable line each; empty when the extension is allowed. */
    public static List<String> refusals(Definition before, Definition after) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(before.objective(), after.objective())) {
            out.add("objective changed: " + before.objective() + " -> " + after.objective());
        }
        if (!Objects.equals(before.command(), after.command())) {
            out.add("command changed");
        }
        // runs.priority may change (as a model's priority may): it orders claims, the runs mean the same.
        if (!before.runs().lease().equals(after.runs().lease()) || before.runs().maxAttempts() != after.runs().maxAttempts()) {
            out.add("runs.lease or runs.max_attempts changed");
        }
        // search.run_limit may change: it bounds the plan's size, the runs mean the same.
        Definition.Search s0 = before.search();
        Definition.Search s1 = after.search();
        if (s0.method() != s1.method() || s0.seed() != s1.seed() || s0.gridLimit() != s1.gridLimit()) {
            out.add("search method, seed or grid_limit changed");
        }
        // What earlier trials were chosen and stopped by: changing it would mix two searches in one cell.
        if (s0.startup() != s1.startup() || s0.transfer() != s1.transfer() || !Objects.equals(s0.earlyStopping(), s1.earlyStopping())) {
            out.add("search.startup, transfer or early_stopping changed");
        }
        // For grid search, no trials means the whole grid: going there only adds; leaving it caps.
        if (s0.trials() == null ? s1.trials() != null : s1.trials() != null && s1.trials() < s0.trials()) {
            out.add("search.trials went down (" + s0.trials() + " -> " + s1.trials() + "); extending only adds");
        }
        if (s1.replicates() < s0.replicates()) {
            out.add("search.replicates went down (" + s0.replicates() + " -> " + s1.replicates() + ")");
        }
        before.datasets().forEach((name, ds) -> {
            Definition.Dataset now = after.datasets().get(name);
            if (now == null) {
                out.add("dataset '" + name + "' was removed");
            } else if (!now.attributes().equals(ds.attributes())) {
                out.add("attributes of dataset '" + name + "' changed");
            }
        });
        before.suites().forEach((name, members) -> {
            List<String> now = after.suites().get(name);
            if (now == null) {
                out.add("suite '" + name + "' was removed");
            } else if (!now.containsAll(members)) {
                out.add("suite '" + name + "' lost datasets");
            }
        });
        before.models().forEach((name, m) -> {
            Definition.Model now = after.models().get(name);
            if (now == null) {
                out.add("model '" + name + "' was removed");
                return;
            }
            if (!now.params().equals(m.params())) {
                out.add("parameters of model '" + name + "' changed");
            }
            if (!now.datasets().containsAll(m.datasets())) {
                out.add("model '" + name + "' no longer runs on some of its datasets");
            }
        });
        return out;
    }
}
