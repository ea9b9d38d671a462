package tracker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;

/**
 * Streams an experiment's runs (as {@link RunRecord}s, alone, with one chosen epoch each, or with
 * every epoch) or metric rows, for {@code tracker export} and the runs view of {@code report}: cell
 * by cell in the order given, each cell in queue order, each run's epochs in epoch order - the same
 * order on every server, read by the {@code _id} index only (batches of ids, ranges of metric ids:
 * nothing else is scanned, however many runs other experiments have), in batches: memory stays
 * constant however many runs there are.
 */
public final class Export {
    private static final int BATCH = 1000;
    /** Runs whose epochs are read in one range (at tens of epochs each, a few thousand documents). */
    private static final int EPOCH_BATCH = 100;

    private final Database db;

    public Export(Database db) {
        this.db = db;
    }

    /** Every "phase.metric" any run of these cells has logged (from the runs' summaries only). */
    public TreeSet<String> metricNames(Map<String, Integer> cellSizes) {
        TreeSet<String> names = new TreeSet<>();
        runsOf(cellSizes, Projections.include("summary.metrics"), r -> {
            Document s = r.get("summary", Document.class);
            Document m = s == null ? null : s.get("metrics", Document.class);
            if (m != null) {
                m.forEach((phase, v) -> ((Document) v).keySet().forEach(metric -> names.add(phase + "." + metric)));
            }
        });
        return names;
    }

    /**
     * Streams the runs of these cells (id to size, in the order given), each cell's in queue order,
     * as records; with the per-metric summaries only when {@code withMetrics} (they are most of a
     * run's summary).
     */
    public void runsOf(Map<String, Integer> cellSizes, boolean withMetrics, Consumer<RunRecord> each) {
        runsOf(cellSizes, RunRecord.projection(withMetrics), r -> each.accept(RunRecord.of(r)));
    }

    /**
     * The same, each run with one stored epoch of its own: the one {@code epochOf} names (null: none
     * wanted), read by id for a whole batch of runs at once ({@link Epochs#at}); the epoch is null
     * when none is wanted or it is not stored.
     */
    public void runsAt(Map<String, Integer> cellSizes, boolean withMetrics, Function<RunRecord, Long> epochOf,
                       BiConsumer<RunRecord, Epochs.Epoch> each) {
        Epochs epochs = new Epochs(db);
        List<RunRecord> batch = new ArrayList<>(BATCH);
        Runnable flush = () -> {
            Map<String, Long> wanted = new HashMap<>();
            for (RunRecord r : batch) {
                Long epoch = epochOf.apply(r);
                if (epoch != null && epoch >= 0) {
                    wanted.put(r.id(), epoch);
                }
            }
            Map<String, Epochs.Epoch> found = wanted.isEmpty() ? Map.of() : epochs.at(wanted);
            batch.forEach(r -> each.accept(r, found.get(r.id())));
            batch.clear();
        };
        runsOf(cellSizes, withMetrics, r -> {
            batch.add(r);
            if (batch.size() == BATCH) {
                flush.run();
            }
        });
        flush.run();
    }

    private void runsOf(Map<String, Integer> cellSizes, Bson projection, Consumer<Document> each) {
        List<String> ids = new ArrayList<>(BATCH);
        for (Map.Entry<String, Integer> cell : cellSizes.entrySet()) {
            for (int pos = 0; pos < cell.getValue(); pos++) {
                ids.add(Runs.id(cell.getKey(), pos));
                if (ids.size() == BATCH) {
                    batch(ids, projection, each);
                }
            }
        }
        batch(ids, projection, each);
    }

    private void batch(List<String> ids, Bson projection, Consumer<Document> each) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Document> found = new HashMap<>();
        for (Document r : db.collections().runs().find(Filters.in("_id", ids)).projection(projection).batchSize(BATCH)) {
            found.put(r.getString("_id"), r);
        }
        for (String id : ids) {
            Document r = found.get(id);
            if (r != null) {
                each.accept(r);
            }
        }
        ids.clear();
    }

    /**
     * Every stored epoch of the runs of these cells, each with its run (without per-metric
     * summaries), in the order of {@link #epochsOf}: a block of runs is read by id, then their
     * epochs by one range, so memory stays that of one block.
     */
    public void epochsWithRunsOf(Map<String, Integer> cellSizes, BiConsumer<RunRecord, Epochs.Epoch> each) {
        Epochs epochs = new Epochs(db);
        blocks(cellSizes, (cell, from, to, records) -> {
            Map<String, RunRecord> runs = new HashMap<>();
            records.forEach(r -> runs.put(r.id(), r));
            epochs.ofPositions(cell, from, to, (run, epoch) -> {
                RunRecord r = runs.get(run);
                if (r != null) {
                    each.accept(r, epoch);
                }
            });
        });
    }

    /** A block of a cell's runs: queue positions {@code from} (included) to {@code to}, read by id, in queue order. */
    @FunctionalInterface
    private interface Block {
        void accept(String cell, int from, int to, List<RunRecord> runs);
    }

    /** The runs of these cells (without per-metric summaries), {@link #EPOCH_BATCH} positions at a time. */
    private void blocks(Map<String, Integer> cellSizes, Block each) {
        Bson projection = RunRecord.projection(false);
        cellSizes.forEach((cell, size) -> {
            for (int from = 0; from < size; from += EPOCH_BATCH) {
                int to = Math.min(size, from + EPOCH_BATCH);
                List<String> ids = new ArrayList<>(to - from);
                for (int pos = from; pos < to; pos++) {
                    ids.add(Runs.id(cell, pos));
                }
                List<RunRecord> runs = new ArrayList<>();
                batch(ids, projection, r -> runs.add(RunRecord.of(r)));
                each.accept(cell, from, to, runs);
            }
        });
    }

    /** Every stored epoch of the runs of these cells, with its run's id, in the order described above. */
    public void epochsOf(Map<String, Integer> cellSizes, BiConsumer<String, Epochs.Epoch> each) {
        Epochs epochs = new Epochs(db);
        cellSizes.forEach((cell, size) -> {
            for (int from = 0; from < size; from += EPOCH_BATCH) {
                epochs.ofPositions(cell, from, Math.min(size, from + EPOCH_BATCH), each);
            }
        });
    }

    /** Every stored step of the runs of these cells, with its run's id, in the same order as {@link #epochsOf}. */
    public void stepsOf(Map<String, Integer> cellSizes, BiConsumer<String, Steps.Step> each) {
        Steps steps = new Steps(db);
        cellSizes.forEach((cell, size) -> {
            for (int from = 0; from < size; from += EPOCH_BATCH) {
                steps.ofPositions(cell, from, Math.min(size, from + EPOCH_BATCH), each);
            }
        });
    }

    /** A run with everything it logged: its epochs and its steps, each in order. */
    public record History(RunRecord run, List<Epochs.Epoch> epochs, List<Steps.Step> steps) {
    }

    /**
     * Every run of these cells with its whole history, in the order of {@link #runsOf}: a block of
     * runs is read by id, then their epochs and steps by one range each, so memory stays that of
     * one block (for tensorboard and mlflow exports, which write a run at a time).
     */
    public void historiesOf(Map<String, Integer> cellSizes, Consumer<History> each) {
        Epochs epochs = new Epochs(db);
        Steps steps = new Steps(db);
        blocks(cellSizes, (cell, from, to, runs) -> {
            Map<String, List<Epochs.Epoch>> epochsOf = new HashMap<>();
            Map<String, List<Steps.Step>> stepsOf = new HashMap<>();
            epochs.ofPositions(cell, from, to, (run, epoch) -> epochsOf.computeIfAbsent(run, k -> new ArrayList<>()).add(epoch));
            steps.ofPositions(cell, from, to, (run, step) -> stepsOf.computeIfAbsent(run, k -> new ArrayList<>()).add(step));
            for (RunRecord r : runs) {
                each.accept(new History(r, epochsOf.getOrDefault(r.id(), List.of()), stepsOf.getOrDefault(r.id(), List.of())));
            }
        });
    }
}
