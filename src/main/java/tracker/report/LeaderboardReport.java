package tracker.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.output.Delimited;
import tracker.output.Painter;
import tracker.output.Screen;
import tracker.output.Table;

/** The leaderboard view per cell: the top configurations of every cell, with their parameters ({@link OverallLeaderboardReport}: overall). */
public final class LeaderboardReport implements Report, Report.Latex {
    /**
     * An entry with the run it names and its parameters; {@code shown}: the --metric of its
     * replicates at their chosen epochs, when one is asked for (else null).
     */
    public record Row(Leaderboard.Entry entry, String run, Map<String, Object> params, Shown shown) {
        public Row(Leaderboard.Entry entry, String run, Map<String, Object> params) {
            this(entry, run, params, null);
        }
    }

    /** Another metric of a configuration's replicates: mean ± std over the {@code n} that logged it (mean null when none did). */
    public record Shown(String metric, Double mean, Double std, int n) {
        /** Of these values (null and NaN left out). */
        public static Shown of(String metric, List<Double> values) {
            List<Double> v = values.stream().filter(x -> x != null && !x.isNaN()).toList();
            return new Shown(metric, v.isEmpty() ? null : Matrix.mean(v), v.isEmpty() ? null : Matrix.std(v), v.size());
        }

        String text() {
            return mean == null ? "-" : Numbers.meanStd(mean, std, n);
        }

        String latex() {
            return mean == null ? "--" : LatexTable.meanStd(mean, std, n);
        }
    }

    private final String experiment;
    private final String objective;
    private final Selection.EpochRule epoch;
    private final int top;
    private final List<Row> rows;
    private final List<String> paramNames;

    /** @param paramNames every parameter of the experiment's models, the csv/tsv columns */
    public LeaderboardReport(String experiment, String objective, int top, List<Row> rows, List<String> paramNames) {
        this(experiment, objective, Selection.EpochRule.best, top, rows, paramNames);
    }

    /** @param epoch which epoch of each run the objective is taken at (and --metric shown at) */
    public LeaderboardReport(String experiment, String objective, Selection.EpochRule epoch, int top, List<Row> rows,
                             List<String> paramNames) {
        this.epoch = epoch;
        this.experiment = experiment;
        this.objective = objective;
        this.top = top;
        this.rows = rows;
        this.paramNames = paramNames;
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        out.put("objective", objective);
        out.put("epoch", epoch.name());
        out.put("scope", "per-cell");
        out.put("top", top);
        List<Object> entries = new ArrayList<>();
        for (Row r : rows) {
            Leaderboard.Entry e = r.entry();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", e.model());
            m.put("dataset", e.dataset());
            m.put("rank", e.rank());
            m.put("trial", e.trial());
            m.put("mean", e.mean());
            m.put("std", e.std());
            m.put("n", e.n());
            m.put("run", r.run());
            m.put("params", r.params());
            if (r.shown() != null) {
                Map<String, Object> shown = new LinkedHashMap<>();
                shown.put("metric", r.shown().metric());
                shown.put("mean", r.shown().mean());
                shown.put("std", r.shown().std());
                shown.put("n", r.shown().n());
                m.put("shown", shown);
            }
            entries.add(m);
        }
        out.put("entries", entries);
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        List<Object> header = new ArrayList<>(List.of("model", "dataset", "rank", "trial", "mean", "std", "n", "run"));
        String shown = shownMetric();
        if (shown != null) {
            header.addAll(List.of(shown + ".mean", shown + ".std", shown + ".n"));
        }
        paramNames.forEach(p -> header.add("param." + p));
        d.row(header);
        for (Row r : rows) {
            Leaderboard.Entry e = r.entry();
            List<Object> line = new ArrayList<>(List.of(e.model(), e.dataset(), e.rank(), e.trial(), e.mean(), e.std(), e.n(), r.run()));
            if (shown != null) {
                line.add(r.shown() == null ? null : r.shown().mean());
                line.add(r.shown() == null ? null : r.shown().std());
                line.add(r.shown() == null ? null : r.shown().n());
            }
            paramNames.forEach(p -> line.add(r.params() == null ? null : r.params().get(p)));
            d.row(line);
        }
    }

    /** The --metric shown beside the objective, or null when none is. */
    private String shownMetric() {
        return rows.stream().filter(r -> r.shown() != null).map(r -> r.shown().metric()).findFirst().orElse(null);
    }

    private String title() {
        return experiment + ": " + objective + ", top " + top + " configurations per cell, each run at its " + epoch
                + " epoch, mean ± std over replicates";
    }

    @Override
    public void table(PrintWriter out, Screen screen) {
        screen.wrap(title()).forEach(out::println);
        Table t = table(screen.painter());
        // parameters wrap onto continuation lines rather than lose their ends; then long names lose their middles
        t.wrap(screen.width(), t.columns() - 1).names(0, 1).print(out, screen.painter());
        if (rows.isEmpty()) {
            out.println("(no completed run with a value of the objective yet)");
        }
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + title() + "**");
        out.println();
        table(Painter.PLAIN).printMarkdown(out);
    }

    /** One row per listed configuration, cells apart by a little space, each cell's best bold, parameters as typed. */
    @Override
    public void latex(PrintWriter out) {
        String shown = shownMetric();
        List<String> header = new ArrayList<>(List.of("Rank", "Model", "Dataset", "Objective", "$n$"));
        if (shown != null) {
            header.add(LatexTable.escape(shown));
        }
        header.add("Parameters");
        LatexTable table = new LatexTable("leaderboard of " + experiment, latexCaption(shown), experiment + "-leaderboard",
                "rllrr" + (shown == null ? "" : "r") + "l", header);
        String cell = null;
        for (Row r : rows) {
            Leaderboard.Entry e = r.entry();
            if (!(e.model() + "/" + e.dataset()).equals(cell)) {
                table.space();
                cell = e.model() + "/" + e.dataset();
            }
            String value = LatexTable.meanStd(e.mean(), e.std(), e.n());
            List<String> row = new ArrayList<>(List.of(String.valueOf(e.rank()), LatexTable.escape(e.model()),
                    LatexTable.escape(e.dataset()), e.rank() == 1 ? LatexTable.bold(value) : value, String.valueOf(e.n())));
            if (shown != null) {
                row.add(r.shown() == null ? "--" : r.shown().latex());
            }
            row.add(r.params() == null || r.params().isEmpty() ? "--" : "\\texttt{" + LatexTable.escape(Params.text(r.params())) + "}");
            table.row(row);
        }
        table.print(out);
    }

    private List<String> latexCaption(String shown) {
        List<String> sentences = new ArrayList<>();
        sentences.add(LatexTable.escape(experiment + ": the top " + top + " configurations of each model and dataset, ranked by their "
                + "replicates' mean " + objective + ", each run at its " + epoch + " epoch"));
        sentences.add("Objective: mean $\\pm$ std over the $n$ replicates with a value" + (shown == null ? ""
                : "; " + LatexTable.escape(shown) + ": the same configuration's replicates, each at the epoch the objective chose"));
        sentences.add(LatexTable.STD);
        sentences.add("Bold: the best configuration of its model and dataset (rank 1; ties share a rank)");
        if (rows.isEmpty()) {
            sentences.add("No completed run has a value of the objective yet");
        }
        return sentences;
    }

    private Table table(Painter painter) {
        String shown = shownMetric();
        Table t = shown == null ? new Table("MODEL", "DATASET", "RANK", "TRIAL", "OBJECTIVE", "N", "PARAMS").alignRight(2, 3, 4, 5)
                : new Table("MODEL", "DATASET", "RANK", "TRIAL", "OBJECTIVE", "N", shown.toUpperCase(java.util.Locale.ROOT), "PARAMS")
                        .alignRight(2, 3, 4, 5, 6);
        for (Row r : rows) {
            Leaderboard.Entry e = r.entry();
            Object value = Painter.mark(Numbers.meanStd(e.mean(), e.std(), e.n()), e.rank() == 1 ? Painter.Mark.BEST : null);
            if (shown == null) {
                t.row(e.model(), e.dataset(), e.rank(), e.trial(), value, e.n(), Params.text(r.params()));
            } else {
                t.row(e.model(), e.dataset(), e.rank(), e.trial(), value, e.n(), r.shown() == null ? "-" : r.shown().text(),
                        Params.text(r.params()));
            }
        }
        return t;
    }
}
