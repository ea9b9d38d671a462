package tracker.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * What reports read, as records: an experiment, its cells with the recorded outcome of every
 * finished run, and - for the few runs a report shows - a metric at each run's chosen epoch.
 * Commands pick a view of these and render it; none of them reads a document of its own.
 *
 * <p>Cost: the outcomes come from the {@code results} pages (a few documents per cell, whatever
 * the number of runs); a shown metric other than the objective costs one read of each shown run
 * (its chosen epoch) and one of that epoch's document, both by {@code _id}.
 */
public final class ReadModel {
    private final Database db;

    public ReadModel(Database db) {
        this.db = db;
    }

    /** A cell with its planned size, the runs in flight and the outcome of every finished run (in queue order). */
    public record CellOutcomes(String id, String model, String dataset, int size, int running, List<Results.Outcome> outcomes) {
        /** Whether nothing is pending or running here any more. */
        public boolean settled() {
            return running == 0 && outcomes.size() >= size;
        }

        /** The ids of the completed runs of one configuration (trial): the replicates behind its value. */
        public List<String> completedRuns(int trial) {
            return outcomes.stream().filter(o -> o.trial() == trial && "completed".equals(o.status())).map(o -> runId(o.pos())).toList();
        }

        /** The id of the run at queue position {@code pos} of this cell. */
        public String runId(int pos) {
            return Runs.id(id, pos);
        }
    }

    /** NAME (its latest version) or NAME@VERSION; exit code 7 with the closest name when unknown. */
    public ExperimentRecord experiment(String ref) {
        return new Experiments(db).resolve(ref);
    }

    /** The experiment's cells in definition order (models, then datasets), each with its outcomes. */
    public List<CellOutcomes> cells(ExperimentRecord e) {
        return cells(e, null);
    }

    /** The same for one dataset's cells only (null: every dataset): only their outcomes are read. */
    public List<CellOutcomes> cells(ExperimentRecord e, String dataset) {
        List<Cells.Cell> cells = new Cells(db).inDefinitionOrder(e).stream().filter(c -> dataset == null || c.dataset().equals(dataset))
                .toList();
        Map<String, List<Results.Outcome>> outcomes = new Results(db).of(Cells.sizes(cells));
        List<CellOutcomes> out = new ArrayList<>(cells.size());
        for (Cells.Cell c : cells) {
            out.add(new CellOutcomes(c.id(), c.model(), c.dataset(), c.size(), c.running().size(),
                    outcomes.getOrDefault(c.id(), List.of())));
        }
        return out;
    }

    /** Every stored epoch of a run, in order (one range of the metrics' {@code _id} index). */
    public List<Epochs.Epoch> epochs(String runId) {
        return new Epochs(db).of(runId);
    }

    /** The parameters of these runs (by {@code _id}); runs that do not exist are left out. */
    public Map<String, Map<String, Object>> params(Collection<String> runIds) {
        return new Runs(db).params(runIds);
    }

    /** The epoch of a run that counts: the objective's best, or the run's last. */
    public enum Epoch { BEST, LAST }

    /**
     * A metric of each of these runs at its chosen epoch: {@code phase.metric}, or the run's duration
     * in seconds (claim to end) when {@code phase} is null. A run that did not log the metric at that
     * epoch (or has no such epoch, or no duration) is absent from the answer.
     */
    public Map<String, Double> shown(Collection<String> runIds, String phase, String metric, Epoch epoch) {
        Map<String, Double> out = new HashMap<>();
        Map<String, Long> chosen = new LinkedHashMap<>();
        forEachRun(runIds, RunRecord.projection(false), d -> {
            RunRecord r = RunRecord.of(d);
            if (phase == null) {
                if (r.durationSeconds() != null) {
                    out.put(r.id(), r.durationSeconds());
                }
            } else if (r.chosenEpoch(epoch) != null) {
                chosen.put(r.id(), r.chosenEpoch(epoch));
            }
        });
        new Epochs(db).at(chosen).forEach((run, e) -> {
            Double v = e.value(phase, metric);
            if (v != null) {
                out.put(run, v);
            }
        });
        return out;
    }

    /** Reads these runs by {@code _id}, a thousand to a query, with only the fields of {@code projection}. */
    private void forEachRun(Collection<String> runIds, Bson projection, Consumer<Document> each) {
        List<String> ids = new ArrayList<>(runIds);
        for (int from = 0; from < ids.size(); from += 1000) {
            for (Document r : db.collections().runs().find(Filters.in("_id", ids.subList(from, Math.min(ids.size(), from + 1000))))
                    .projection(projection)) {
                each.accept(r);
            }
        }
    }

    /** Every "phase.metric" these runs have logged, from their summaries (one small read of each, by {@code _id}). */
    public java.util.SortedSet<String> logged(Collection<String> runIds) {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        forEachRun(runIds, Projections.include("summary.metrics"), r -> {
            Document s = r.get("summary", Document.class);
            Document m = s == null ? null : s.get("metrics", Document.class);
            if (m != null) {
                m.forEach((phase, v) -> ((Document) v).keySet().forEach(metric -> names.add(phase + "." + metric)));
            }
        });
        return names;
    }
}
