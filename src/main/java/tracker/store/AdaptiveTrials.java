package tracker.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;

import tracker.RunStatus;
import tracker.plan.SettingsSampler;
import tracker.plan.Tpe;
import tracker.spec.Definition;
import tracker.spec.DefinitionParser;
import tracker.spec.PlanSize;

/**
 * The settings of adaptive trials ({@code search.method: tpe}), chosen when a trial is first
 * claimed, from what its cell has seen so far - one small document per trial in {@code trials}:
 *
 * <pre>
 * {_id: "exp@1/mlp/iris#12", experiment, cell, model, dataset, trial: 12, params: {lr: 0.003, width: 64},
 *  how: "tpe", seen: {finished: 10, transferred: 0, inFlight: 2}, seed: 81237, at}
 * </pre>
 *
 * <b>One setting per trial, whoever asks first.</b> The document's id is the trial, and it is
 * inserted, never updated: of two workers that claim two replicates of one trial at once, the
 * second insert fails on the id and that worker takes the first one's setting. A worker killed
 * after the insert leaves a setting that the trial's next claim finds; one killed before it leaves
 * nothing, and the next claim chooses again.
 *
 * <p><b>What the sampler sees.</b> The trials of the cell that have a setting: those with a
 * finished replicate by its outcome in {@code results} (a trial's value is the mean of its
 * completed replicates' objectives; a trial with only pruned replicates counts as pruned, by the
 * mean of their last values), and those still in flight as pending - the constant-liar rule, so
 * concurrent claims are pushed away from the settings being tried instead of piling onto one.
 * Failed and cancelled replicates say nothing about the setting and are left out. With
 * {@code transfer: true}, the same model's trials on the other datasets too.
 *
 * <p><b>Start-up.</b> Until the cell has {@code startup} finished trials (or, with transfer, the
 * other datasets have that many), trial k takes the setting random search would give it. Random,
 * not quasi-random: under early stopping a Halton start-up left TPE 0.10-0.13 behind Optuna at one
 * worker in the benchmark, and random draws closed most of the gap (docs/benchmarks.md).
 *
 * <p>Everything is read by id (the trials of a cell are {@code cell#0 .. cell#trials-1}, its
 * results pages {@code cell#0 ..}): a filter on another field scans the whole collection on the
 * embedded server.
 */
final class AdaptiveTrials {
    /** Parsed definitions by hash: a worker claims many trials of one experiment. */
    private static final Map<String, Definition> DEFINITIONS = new ConcurrentHashMap<>();

    private final Database db;

    AdaptiveTrials(Database db) {
        this.db = db;
    }

    /** What was chosen for a trial, as stored (and shown by {@code show RUN}). */
    record Chosen(SortedMap<String, Object> params, Document about) {
    }

    /** The setting of the run's trial: the one stored, or one chosen now and stored first. */
    Chosen settingOf(ExperimentRecord exp, Document run) {
        String cellId = run.getString("cell");
        int trial = run.getInteger("trial");
        String id = cellId + "#" + trial;
        Document stored = db.collections().trials().find(Filters.eq("_id", id)).first();
        if (stored != null) {
            return chosen(stored);
        }
        Definition def = DEFINITIONS.computeIfAbsent(exp.hash(), h -> DefinitionParser.parse(exp.definitionYaml(), exp.id() + " (stored)"));
        Definition.Model model = def.models().get(run.getString("model"));
        Definition.Search search = def.search();
        String dataset = run.getString("dataset");
        List<Tpe.Observation> history = history(exp, def, model, dataset, trial);
        Tpe.Seen seen = Tpe.seen(history);
        long seed = SettingsSampler.adaptiveSeed(search.seed(), model.name(), dataset, trial);
        SortedMap<String, Object> params;
        String how;
        if (seen.own() >= search.startup() || (search.transfer() && seen.transferred() >= search.startup())) {
            params = Tpe.suggest(model, "maximize".equals(exp.objective().get("goal")), history, seed).params();
            how = "tpe";
        } else {
            params = SettingsSampler.random(model, search.seed(), trial);
            how = "random";
        }
        Document about = new Document("how", how)
                .append("seen", new Document("finished", seen.own()).append("transferred", seen.transferred())
                        .append("inFlight", seen.inFlight()))
                .append("seed", seed);
        Document doc = new Document("_id", id).append("experiment", exp.id()).append("cell", cellId).append("model", model.name())
                .append("dataset", dataset).append("trial", trial).append("params", new Document(params)).append("chosen", about)
                .append("at", new Date());
        try {
            db.collections().trials().insertOne(doc);
            return new Chosen(params, about);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // Another replicate's claim chose first (or our own insert went through before its reply was lost): theirs it is.
            return chosen(db.collections().trials().find(Filters.eq("_id", id)).first());
        }
    }

    private static Chosen chosen(Document stored) {
        return new Chosen(Collections.unmodifiableSortedMap(new TreeMap<>(stored.get("params", Document.class))),
                stored.get("chosen", Document.class));
    }

    /** The trials the sampler learns from: the cell's own, in trial order, then (with transfer) the other datasets'. */
    private List<Tpe.Observation> history(ExperimentRecord exp, Definition def, Definition.Model model, String dataset, int trial) {
        int trials = Math.toIntExact(PlanSize.settings(model, def.search()));
        Map<String, Cells.Cell> cells = new LinkedHashMap<>();
        for (Cells.Cell c : new Cells(db).of(exp)) {
            if (c.model().equals(model.name()) && (c.dataset().equals(dataset) || def.search().transfer())) {
                cells.put(c.id(), c);
            }
        }
        List<String> trialIds = new ArrayList<>();
        List<String> pageIds = new ArrayList<>();
        for (Cells.Cell c : cells.values()) {
            for (int t = 0; t < trials; t++) {
                trialIds.add(c.id() + "#" + t);
            }
            for (int p = 0; p < Results.pages(c.size()); p++) {
                pageIds.add(c.id() + "#" + p);
            }
        }
        Map<String, Document> settings = new TreeMap<>();
        for (int from = 0; from < trialIds.size(); from += Results.PAGE) {
            for (Document d : db.collections().trials().find(Filters.in("_id", trialIds.subList(from, Math.min(trialIds.size(), from + Results.PAGE))))) {
                settings.put(d.getString("_id"), d);
            }
        }
        Map<String, List<Document>> outcomes = new LinkedHashMap<>(); // trial id -> entries of its finished replicates
        for (Document page : db.collections().results().find(Filters.in("_id", pageIds))) {
            Document e = page.get("e", Document.class);
            if (e != null) {
                for (Object entry : e.values()) {
                    Document d = (Document) entry;
                    outcomes.computeIfAbsent(page.getString("cell") + "#" + d.getInteger("t"), k -> new ArrayList<>()).add(d);
                }
            }
        }
        List<Tpe.Observation> own = new ArrayList<>();
        List<Tpe.Observation> others = new ArrayList<>();
        for (Cells.Cell c : cells.values()) {
            boolean mine = c.dataset().equals(dataset);
            for (int t = 0; t < trials; t++) {
                Document setting = settings.get(c.id() + "#" + t);
                if (setting == null || (mine && t == trial)) {
                    continue;
                }
                Tpe.Observation o = observation(setting, outcomes.getOrDefault(c.id() + "#" + t, List.of()), def.search().replicates(),
                        mine ? null : c.dataset());
                if (o != null && (mine || o.state() != Tpe.State.RUNNING)) {
                    (mine ? own : others).add(o);
                }
            }
        }
        own.addAll(others);
        return own;
    }

    /**
     * A trial as the sampler sees it: complete by the mean of its completed replicates' objectives,
     * else pruned by the mean of their last values, else in flight while a replicate is unfinished;
     * null when every replicate failed or was cancelled (or completed without a value, or with NaN).
     */
    private static Tpe.Observation observation(Document setting, List<Document> finished, int replicates, String group) {
        SortedMap<String, Object> params = new TreeMap<>(setting.get("params", Document.class));
        double completedSum = 0;
        int completed = 0;
        double prunedSum = 0;
        int pruned = 0;
        long epochs = 0;
        for (Document e : finished) {
            String status = e.getString("s");
            // NaN says the setting broke the training, not how good it is: left out, like a failure.
            if (RunStatus.COMPLETED.equals(status) && e.get("b") instanceof Number b && !Double.isNaN(b.doubleValue())) {
                completedSum += b.doubleValue();
                completed++;
            } else if (RunStatus.PRUNED.equals(status) && e.get("l") instanceof Number l && !Double.isNaN(l.doubleValue())) {
                prunedSum += l.doubleValue();
                pruned++;
                epochs = Math.max(epochs, e.get("ep") instanceof Number n ? n.longValue() : 0);
            }
        }
        if (completed > 0) {
            return new Tpe.Observation(params, Tpe.State.COMPLETE, completedSum / completed, 0, group);
        }
        if (pruned > 0) {
            return new Tpe.Observation(params, Tpe.State.PRUNED, prunedSum / pruned, epochs, group);
        }
        return finished.size() < replicates ? new Tpe.Observation(params, Tpe.State.RUNNING, null, 0, group) : null;
    }
}
