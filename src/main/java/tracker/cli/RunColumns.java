package tracker.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.report.Selection;
import tracker.store.RunRecord;

/**
 * The columns of {@code tracker export}'s run rows, from a {@link RunRecord}: the same names and
 * values in CSV and JSON, except that JSON rows carry the parameters and metric summaries as
 * objects ({@code params}, {@code metrics}) where CSV has a column each. Columns are only ever added
 * at the end (docs/report-formats.md: the stability promise), so the times, exit code, host and git
 * columns come after the parameters and metrics.
 */
final class RunColumns {
    /**
     * Times as ISO-8601 in UTC, always with milliseconds: one format in a whole column, which
     * pandas.to_datetime parses without guessing (Instant.toString drops zero milliseconds).
     */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final List<String> FIRST = List.of("run", "experiment", "model", "dataset", "status", "trial", "replicate", "seed",
            "attempt", "worker", "objective_best", "objective_best_epoch", "objective_last", "epochs");
    private static final List<String> LAST = List.of("claimed_at", "started_at", "ended_at", "duration", "exit_code", "host",
            "git_commit", "git_dirty");

    private final List<String> params;
    private final List<String> metrics;
    private final Selection selection;

    /**
     * @param metrics   "PHASE.METRIC" names with a column each for last, min and max (none for JSON rows)
     * @param selection null: no --metric/--epoch, no chosen columns
     */
    RunColumns(List<String> params, List<String> metrics, Selection selection) {
        this.params = params;
        this.metrics = metrics;
        this.selection = selection;
    }

    /** The name of the column of the shown value, e.g. {@code test.accuracy@chosen}. */
    static String shownColumn(Selection s) {
        return s.shown() + "@chosen";
    }

    /** The CSV header. */
    List<String> names() {
        List<String> names = new ArrayList<>(FIRST);
        params.forEach(p -> names.add("param." + p));
        metrics.forEach(m -> {
            names.add(m + ".last");
            names.add(m + ".min");
            names.add(m + ".max");
        });
        names.addAll(LAST);
        if (selection != null) {
            names.add("chosen_epoch");
            names.add(shownColumn(selection));
        }
        return names;
    }

    /** A CSV row, in the order of {@link #names}. */
    List<Object> values(RunRecord r, Chosen chosen) {
        List<Object> row = first(r);
        params.forEach(p -> row.add(r.params().get(p)));
        for (String name : metrics) {
            int dot = name.indexOf('.');
            RunRecord.MetricSummary m = r.metrics().getOrDefault(name.substring(0, dot), Map.of()).get(name.substring(dot + 1));
            row.add(m == null ? null : m.last());
            row.add(m == null ? null : m.min());
            row.add(m == null ? null : m.max());
        }
        row.addAll(last(r));
        if (selection != null) {
            row.add(chosen.epoch());
            row.add(chosen.value());
        }
        return row;
    }

    /** A JSON row: the CSV columns without the parameter and metric ones, then {@code params} and {@code metrics} objects. */
    Map<String, Object> json(RunRecord r, Chosen chosen) {
        Map<String, Object> row = new LinkedHashMap<>();
        List<Object> first = first(r);
        for (int i = 0; i < FIRST.size(); i++) {
            row.put(FIRST.get(i), first.get(i));
        }
        List<Object> last = last(r);
        for (int i = 0; i < LAST.size(); i++) {
            row.put(LAST.get(i), last.get(i));
        }
        if (selection != null) {
            row.put("chosen_epoch", chosen.epoch());
            row.put(shownColumn(selection), chosen.value());
        }
        row.put("params", r.params());
        Map<String, Object> metrics = new LinkedHashMap<>();
        r.metrics().forEach((phase, byName) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            byName.forEach((name, m) -> values.put(name, summary(m)));
            metrics.put(phase, values);
        });
        row.put("metrics", metrics);
        return row;
    }

    private static List<Object> first(RunRecord r) {
        return new ArrayList<>(Arrays.asList(r.id(), r.experiment(), r.model(), r.dataset(), r.status(), r.trial(), r.replicate(),
                r.seed(), r.attempt(), r.worker(), r.objectiveBest(), r.objectiveBestEpoch(), r.objectiveLast(), r.lastEpoch()));
    }

    private static List<Object> last(RunRecord r) {
        return Arrays.asList(time(r.claimedAt()), time(r.startedAt()), time(r.endedAt()), r.durationSeconds(), r.exitCode(), r.host(),
                r.gitCommit(), r.gitDirty());
    }

    /** A metric's summary as stored: {last, lastEpoch, min, minEpoch, max, maxEpoch}, without the ones it lacks. */
    private static Map<String, Object> summary(RunRecord.MetricSummary m) {
        Map<String, Object> out = new LinkedHashMap<>();
        putIfPresent(out, "last", m.last());
        putIfPresent(out, "lastEpoch", m.lastEpoch());
        putIfPresent(out, "min", m.min());
        putIfPresent(out, "minEpoch", m.minEpoch());
        putIfPresent(out, "max", m.max());
        putIfPresent(out, "maxEpoch", m.maxEpoch());
        return out;
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }
}
