package tracker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import tracker.output.Table;
import tracker.plan.Plan;
import tracker.plan.PlannedRun;
import tracker.report.Params;
import tracker.spec.Definition;
import tracker.util.Plurals;

/** What a plan amounts to: cells, runs per model, and the first runs in claim order. */
final class PlanSummary {
    static final int FIRST_RUNS = 5;

    private PlanSummary() {
    }

    static Map<String, Object> json(Plan plan) {
        Definition d = plan.definition();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cells", plan.cells());
        m.put("runs", plan.runs().size());
        Map<String, Object> models = new LinkedHashMap<>();
        for (Definition.Model model : d.models().values()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            int settings = plan.trialsPerModel().get(model.name());
            mm.put("datasets", model.datasets());
            mm.put("settings", settings);
            mm.put("replicates", d.search().replicates());
            mm.put("runs", (long) model.datasets().size() * settings * d.search().replicates());
            models.put(model.name(), mm);
        }
        m.put("models", models);
        List<Object> first = new ArrayList<>();
        for (PlannedRun r : plan.runs().subList(0, Math.min(FIRST_RUNS, plan.runs().size()))) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("model", r.model());
            rm.put("dataset", r.dataset());
            rm.put("trial", r.trial());
            rm.put("replicate", r.replicate());
            rm.put("seed", r.seed());
            rm.put("params", r.params());
            first.add(rm);
        }
        m.put("firstRuns", first);
        return m;
    }

    static void print(PrintWriter out, Plan plan, String indent) {
        Definition d = plan.definition();
        out.println(indent + "cells  " + plan.cells() + " (" + Plurals.count(d.models().size(), "model") + " x "
                + Plurals.count(d.datasets().size(), "dataset") + (plan.cells() < d.models().size() * d.datasets().size() ? ", not every model on every dataset" : "") + ")");
        out.println(indent + "runs   " + plan.runs().size() + " (" + d.search().method().word + " search, seed " + d.search().seed() + ")");
        Table models = new Table("MODEL", "DATASETS", "SETTINGS", "REPLICATES", "RUNS").alignRight(1, 2, 3, 4);
        for (Definition.Model model : d.models().values()) {
            int settings = plan.trialsPerModel().get(model.name());
            models.row(model.name(), model.datasets().size(), settings, d.search().replicates(),
                    (long) model.datasets().size() * settings * d.search().replicates());
        }
        out.println();
        models.print(out, indent);
        out.println();
        out.println(indent + "first runs (claim order):");
        Table first = new Table("MODEL", "DATASET", "TRIAL", "REP", "SEED", "PARAMS").alignRight(2, 3, 4);
        for (PlannedRun r : plan.runs().subList(0, Math.min(FIRST_RUNS, plan.runs().size()))) {
            first.row(r.model(), r.dataset(), r.trial(), r.replicate(), r.seed(), params(r.params()));
        }
        first.print(out, indent + "  ");
        out.flush();
    }


    static String params(Map<String, Object> params) {
        if (params == null) {
            return "(chosen when claimed)"; // adaptive search: a trial's setting is sampled at its first claim
        }
        return params.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(" "));
    }

    /** Doubles in at most 4 significant digits for reading (as in reports); the stored values keep full precision. */
    static String value(Object v) {
        return Params.value(v);
    }
}
