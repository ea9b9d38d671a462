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
public final class LeaderboardReport implements Report {
    /** An entry with the run it names and its parameters. */
    public record Row(Leaderboard.Entry entry, String run, Map<String, Object> params) {
    }

    private final String experiment;
    private final String objective;
    private final int top;
    private final List<Row> rows;
    private final List<String> paramNames;

    /** @param paramNames every parameter of the experiment's models, the csv/tsv columns */
    public LeaderboardReport(String experiment, String objective, int top, List<Row> rows, List<String> paramNames) {
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
            entries.add(m);
        }
        out.put("entries", entries);
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        List<Object> header = new ArrayList<>(List.of("model", "dataset", "rank", "trial", "mean", "std", "n", "run"));
        paramNames.forEach(p -> header.add("param." + p));
        d.row(header);
        for (Row r : rows) {
            Leaderboard.Entry e = r.entry();
            List<Object> line = new ArrayList<>(List.of(e.model(), e.dataset(), e.rank(), e.trial(), e.mean(), e.std(), e.n(), r.run()));
            paramNames.forEach(p -> line.add(r.params() == null ? null : r.params().get(p)));
            d.row(line);
        }
    }

    private String title() {
        return experiment + ": " + objective + ", top " + top + " configurations per cell, mean ± std over replicates";
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

    private Table table(Painter painter) {
        Table t = new Table("MODEL", "DATASET", "RANK", "TRIAL", "OBJECTIVE", "N", "PARAMS").alignRight(2, 3, 4, 5);
        for (Row r : rows) {
            Leaderboard.Entry e = r.entry();
            Object value = Painter.mark(Numbers.meanStd(e.mean(), e.std(), e.n()), e.rank() == 1 ? Painter.Mark.BEST : null);
            t.row(e.model(), e.dataset(), e.rank(), e.trial(), value, e.n(), Params.text(r.params()));
        }
        return t;
    }
}
