package tracker.report;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

import tracker.RunStatus;
import tracker.output.Delimited;
import tracker.output.Painter;
import tracker.output.Screen;
import tracker.output.Table;
import tracker.util.Durations;

/**
 * The runs view: a table of runs with their parameters and objective, filtered, sorted and
 * limited. Runs arrive one by one ({@link #accept}); only the ones it will show are kept (the
 * first or best {@code limit} of them), so memory follows the limit, not the experiment. Given a
 * {@link Selection} ({@code --metric}, {@code --epoch}), it also shows each run's chosen epoch and
 * the shown metric there.
 */
public final class RunsReport implements Report {
    private final String experiment;
    private final String objective;
    private final List<String> where;
    private final String sortSpec;
    private final int offset;
    private final Integer limit;
    /** How many rows to keep while runs arrive: the page and the ones before it. */
    private final Integer keep;
    private final List<String> paramNames;
    private final Selection selection;
    private final Predicate<RunRow> filter;
    private final Comparator<RunRow> order;
    private final Comparator<Ranked> byOrder;
    private final PriorityQueue<Ranked> kept;
    private long seen;
    private long matched;

    private record Ranked(RunRow row, long index) {
    }

    /**
     * @param order  null: the runs' own order (cell by cell, in queue order)
     * @param offset how many of the matching runs to skip (in order), for pages
     * @param limit  null: all
     * @param selection null: none asked for (the chosen epoch and shown value are not shown)
     */
    public RunsReport(String experiment, String objective, List<String> where, Predicate<RunRow> filter, String sortSpec,
                      Comparator<RunRow> order, int offset, Integer limit, List<String> paramNames, Selection selection) {
        this.selection = selection;
        this.experiment = experiment;
        this.objective = objective;
        this.where = where;
        this.filter = filter;
        this.sortSpec = sortSpec;
        this.offset = offset;
        this.limit = limit;
        this.keep = limit == null ? null : offset + limit;
        this.paramNames = paramNames;
        this.order = order;
        this.byOrder = order == null ? Comparator.comparingLong(Ranked::index)
                : Comparator.comparing(Ranked::row, order).thenComparingLong(Ranked::index);
        this.kept = new PriorityQueue<>(byOrder.reversed()); // the head is the one to drop first
    }

    /** Offers the next run. */
    public void accept(RunRow row) {
        seen++;
        if (!filter.test(row)) {
            return;
        }
        matched++;
        if (keep != null && order == null && kept.size() >= keep) {
            return; // only counted
        }
        kept.add(new Ranked(row, seen));
        if (keep != null && kept.size() > keep) {
            kept.poll();
        }
    }

    /** The runs to show, in order. */
    public List<RunRow> rows() {
        List<Ranked> r = new ArrayList<>(kept);
        r.sort(byOrder);
        return r.stream().skip(offset).map(Ranked::row).toList();
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        out.put("objective", objective);
        out.put("where", where);
        out.put("sort", sortSpec);
        out.put("limit", limit);
        out.put("offset", offset);
        if (selection != null) {
            out.put("metric", selection.shown().toString());
            out.put("epoch", selection.epoch().name());
        }
        out.put("matched", matched);
        List<Object> runs = new ArrayList<>();
        for (RunRow r : rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.run());
            m.put("model", r.model());
            m.put("dataset", r.dataset());
            m.put("trial", r.trial());
            m.put("replicate", r.replicate());
            m.put("seed", r.seed());
            m.put("status", r.status());
            m.put("attempt", r.attempt());
            m.put("params", r.params());
            m.put("objective", r.objective());
            m.put("final", r.last());
            m.put("epochs", r.epochs());
            m.put("duration", r.duration());
            if (selection != null) {
                m.put("chosen_epoch", r.chosenEpoch());
                m.put("shown", r.shown());
            }
            runs.add(m);
        }
        out.put("runs", runs);
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        List<Object> header = new ArrayList<>(List.of("run", "model", "dataset", "trial", "replicate", "seed", "status", "attempt",
                "objective", "final", "epochs", "duration"));
        if (selection != null) {
            header.add("chosen_epoch");
            header.add("shown");
        }
        paramNames.forEach(p -> header.add("param." + p));
        d.row(header);
        for (RunRow r : rows()) {
            List<Object> line = new ArrayList<>(List.of(r.run(), r.model(), r.dataset(), r.trial(), r.replicate()));
            line.add(r.seed());
            line.add(r.status());
            line.add(r.attempt());
            line.add(r.objective());
            line.add(r.last());
            line.add(r.epochs());
            line.add(r.duration());
            if (selection != null) {
                line.add(r.chosenEpoch());
                line.add(r.shown());
            }
            paramNames.forEach(p -> line.add(r.params() == null ? null : r.params().get(p)));
            d.row(line);
        }
    }

    private String title() {
        int shown = kept.size();
        String runs = shown == matched ? matched + " run" + (matched == 1 ? "" : "s") : shown + " of " + matched + " runs";
        return experiment + ": " + runs + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + (sortSpec == null ? "" : ", by " + sortSpec) + "; objective " + objective
                + (selection == null ? "" : "; shown: " + shownWords());
    }

    /** What the shown column holds, e.g. "test.acc at each run's best val.acc epoch". */
    private String shownWords() {
        return selection.shown().isDuration() ? "duration (s); epoch: " + epochWords() : selection.shown() + " at " + epochWords();
    }

    private String epochWords() {
        return selection.epoch() == Selection.EpochRule.best
                ? "each run's best " + selection.objective().phase() + "." + selection.objective().metric() + " epoch"
                : "each run's last epoch";
    }

    /** The header of the shown column: the metric's name, as the other headers, in capitals. */
    private String shownColumn() {
        return selection.shown().toString().toUpperCase(Locale.ROOT);
    }

    /** Columns left out, in this order, while the table is wider than the terminal; PARAMS is cut last. */
    private static final List<String> OPTIONAL = List.of("SEED", "ATTEMPT", "REP", "FINAL", "DURATION");
    private static final List<String> COLUMNS = List.of("MODEL", "DATASET", "#", "TRIAL", "REP", "SEED", "STATUS", "ATTEMPT",
            "OBJECTIVE", "FINAL", "DURATION", "PARAMS");
    private static final int MIN_PARAMS = 16;

    @Override
    public void table(PrintWriter out, Screen screen) {
        screen.wrap(title()).forEach(out::println);
        List<RunRow> rows = rows();
        List<String> hidden = new ArrayList<>();
        Table t = table(rows, hidden, true, columns());
        for (String column : OPTIONAL) {
            int params = widest(rows);
            if (t.width() - params + Math.min(params, MIN_PARAMS) <= screen.width()) {
                break;
            }
            hidden.add(column);
            t = table(rows, hidden, true, columns());
        }
        t.fit(screen.width(), t.columns() - 1).names(0, 1).print(out, screen.painter());
        List<String> notes = new ArrayList<>(List.of("#: the run's place in its cell (its id is " + experiment + "/MODEL/DATASET/#)",
                "objective: its best value" + (rows.stream().anyMatch(r -> RunStatus.PRUNED.equals(r.status()))
                        ? " (a pruned run: its last, where early stopping ended it)" : ""), "final: at its last epoch"));
        if (selection != null) {
            notes.add("epoch: " + epochWords());
            notes.add(selection.shown().isDuration() ? "duration: seconds from claim to end"
                    : selection.shown() + ": at that epoch");
        }
        if (!hidden.isEmpty()) {
            notes.add("not shown for want of width: " + String.join(", ", hidden.stream().map(String::toLowerCase).toList())
                    + " (--width, or -o csv)");
        }
        for (String line : screen.flow(notes, "; ")) {
            (line.length() > screen.width() ? screen.wrap(line) : List.of(line)).forEach(out::println); // a note wider than the screen: by words
        }
    }

    private static String duration(Double seconds) {
        return seconds == null ? "-" : Durations.format(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    private static int widest(List<RunRow> rows) {
        return Math.max("PARAMS".length(), rows.stream().mapToInt(r -> Params.text(r.params()).length()).max().orElse(0));
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + title() + "**");
        out.println();
        table(rows(), List.of(), false, columns()).printMarkdown(out);
    }

    /** The table's columns: with a selection, the chosen epoch and the shown value after the objective's. */
    private List<String> columns() {
        if (selection == null) {
            return COLUMNS;
        }
        List<String> all = new ArrayList<>(COLUMNS);
        all.addAll(all.indexOf("FINAL") + 1, List.of(EPOCH, SHOWN));
        return all;
    }

    private static final String EPOCH = "EPOCH";
    /** Stands for the shown column (its header is the metric's name). */
    private static final String SHOWN = "(shown)";

    private Table table(List<RunRow> rows, List<String> hidden, boolean marks, List<String> all) {
        List<String> columns = all.stream().filter(c -> !hidden.contains(c)).toList();
        Table t = new Table(columns.stream().map(c -> c.equals(SHOWN) ? shownColumn() : c).toList());
        for (int c = 0; c < columns.size(); c++) {
            if (List.of("#", "TRIAL", "REP", "SEED", "ATTEMPT", "OBJECTIVE", "FINAL", "DURATION", EPOCH, SHOWN).contains(columns.get(c))) {
                t.alignRight(c);
            }
        }
        for (RunRow r : rows) {
            Painter.Mark mark = !marks ? null : RunStatus.isFailure(r.status()) ? Painter.Mark.FAILED
                    : "running".equals(r.status()) ? Painter.Mark.IN_FLIGHT : null;
            List<Object> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(switch (c) {
                    case "MODEL" -> r.model();
                    case "DATASET" -> r.dataset();
                    case "#" -> r.run().substring(r.run().lastIndexOf('/') + 1);
                    case "TRIAL" -> r.trial();
                    case "REP" -> r.replicate();
                    case "SEED" -> r.seed();
                    case "STATUS" -> Painter.mark(r.status(), mark);
                    case "ATTEMPT" -> r.attempt();
                    case "OBJECTIVE" -> Numbers.format(r.objective());
                    case "FINAL" -> Numbers.format(r.last());
                    case "DURATION" -> duration(r.duration());
                    case EPOCH -> r.chosenEpoch() == null ? "-" : r.chosenEpoch();
                    case SHOWN -> selection.shown().isDuration() ? duration(r.shown()) : Numbers.format(r.shown());
                    default -> Params.text(r.params());
                });
            }
            t.row(cells);
        }
        return t;
    }

}
