package tracker.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tracker.output.Delimited;
import tracker.output.Painter;
import tracker.output.Screen;
import tracker.output.Table;

/**
 * The leaderboard view with {@code --overall}: the top configurations (model, trial) of the whole
 * experiment by their mean rank across datasets ({@link OverallLeaderboard}), each with its mean
 * objective on every dataset and its parameters.
 */
public final class OverallLeaderboardReport implements Report {
    /** A standing with the run it names and its parameters. */
    public record Row(OverallLeaderboard.Standing standing, String run, Map<String, Object> params,
                      Map<String, LeaderboardReport.Shown> shown) {
        /**
         * @param shown per dataset, the --metric of the configuration's replicates at their chosen
         *              epochs (empty without --metric)
         */
        public Row {
            shown = shown == null ? Map.of() : shown;
        }

        public Row(OverallLeaderboard.Standing standing, String run, Map<String, Object> params) {
            this(standing, run, params, Map.of());
        }
    }

    /** Dataset headers are cut in the middle to this; the values under them are 5 to 9 characters. */
    private static final int DATASET_HEADER = 12;
    /** The parameters keep this width (most name=value pairs fit a line) before the dataset columns are left out. */
    private static final int PARAMS_COMFORT = 32;
    /** Between table columns (as {@link Table} lays them out). */
    private static final int GAP = 2;

    private final String experiment;
    private final String objective;
    private final Selection.EpochRule epoch;
    private final int top;
    private final List<String> datasets;
    private final List<Row> rows;
    private final List<String> paramNames;

    /**
     * @param datasets   the datasets ranked on ({@link OverallLeaderboard.Result#datasets()})
     * @param paramNames every parameter of the experiment's models, the csv/tsv columns
     */
    public OverallLeaderboardReport(String experiment, String objective, Selection.EpochRule epoch, int top, List<String> datasets,
                                    List<Row> rows,
                                    List<String> paramNames) {
        this.experiment = experiment;
        this.objective = objective;
        this.epoch = epoch;
        this.top = top;
        this.datasets = datasets;
        this.rows = rows;
        this.paramNames = paramNames;
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        out.put("objective", objective);
        out.put("epoch", epoch.name());
        out.put("scope", "overall");
        out.put("top", top);
        out.put("ranking", OverallLeaderboard.RANKING);
        out.put("datasets", datasets);
        List<Object> entries = new ArrayList<>();
        for (Row r : rows) {
            OverallLeaderboard.Standing s = r.standing();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", s.rank());
            m.put("model", s.model());
            m.put("trial", s.trial());
            m.put("meanRank", s.meanRank());
            m.put("covered", s.covered());
            Map<String, Object> per = new LinkedHashMap<>();
            for (OverallLeaderboard.Score score : s.scores()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("mean", score.mean());
                d.put("std", score.std());
                d.put("n", score.n());
                d.put("rank", score.rank());
                d.put("best", score.best());
                LeaderboardReport.Shown shown = r.shown().get(score.dataset());
                if (shown != null) {
                    Map<String, Object> sm = new LinkedHashMap<>();
                    sm.put("metric", shown.metric());
                    sm.put("mean", shown.mean());
                    sm.put("std", shown.std());
                    sm.put("n", shown.n());
                    d.put("shown", sm);
                }
                per.put(score.dataset(), d);
            }
            m.put("perDataset", per);
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
        List<Object> header = new ArrayList<>(List.of("rank", "model", "trial", "mean_rank", "covered", "run"));
        for (String dataset : datasets) {
            header.addAll(List.of("mean." + dataset, "std." + dataset, "n." + dataset, "rank." + dataset));
        }
        paramNames.forEach(p -> header.add("param." + p));
        String metric = shownMetric();
        if (metric != null) { // new columns go at the end of a row
            datasets.forEach(dataset -> header.add(metric + "." + dataset));
        }
        d.row(header);
        for (Row r : rows) {
            OverallLeaderboard.Standing s = r.standing();
            List<Object> line = new ArrayList<>(List.of(s.rank(), s.model(), s.trial(), s.meanRank(), s.covered(), r.run()));
            for (String dataset : datasets) {
                OverallLeaderboard.Score score = s.on(dataset);
                if (score == null) {
                    line.addAll(java.util.Collections.nCopies(4, null));
                } else {
                    line.addAll(List.of(score.mean(), score.std(), score.n(), score.rank()));
                }
            }
            paramNames.forEach(p -> line.add(r.params() == null ? null : r.params().get(p)));
            if (metric != null) {
                datasets.forEach(dataset -> line.add(r.shown().get(dataset) == null ? null : r.shown().get(dataset).mean()));
            }
            d.row(line);
        }
    }

    /** The --metric shown beside the ranking, or null. */
    private String shownMetric() {
        return rows.stream().flatMap(r -> r.shown().values().stream()).map(LeaderboardReport.Shown::metric).findFirst().orElse(null);
    }

    private String title() {
        return experiment + ": " + objective + " at each run's " + epoch + " epoch, top " + top + " configurations (model, trial) overall";
    }

    /** The notes under the table; the dataset columns' legend only when they are shown. */
    private List<String> legend(boolean perDataset) {
        List<String> notes = new ArrayList<>();
        String metric = shownMetric();
        if (perDataset) {
            notes.add(metric == null ? "dataset columns: mean over replicates, * best on the dataset, - no value"
                    : "dataset columns: the mean of " + metric + " over the replicates, at the epochs the objective chose (the "
                    + "ranking is the objective's), - no value");
        } else if (metric != null) {
            notes.add(metric + " per dataset: -o csv or -o json");
        }
        if (rows.stream().anyMatch(r -> r.standing().covered() < datasets.size())) {
            notes.add("configurations without a value on every dataset come last: a mean rank over fewer datasets"
                    + " is not comparable");
        }
        return notes;
    }

    @Override
    public void table(PrintWriter out, Screen screen) {
        screen.wrap(title()).forEach(out::println);
        screen.wrap(OverallLeaderboard.RANKING).forEach(out::println);
        if (rows.isEmpty()) {
            out.println("(no completed run with a value of the objective yet)");
            return;
        }
        boolean perDataset = fits(screen.width());
        Table t = table(perDataset, true);
        // parameters wrap onto continuation lines rather than lose their ends; then long model names lose their middles
        t.wrap(screen.width(), t.columns() - 1).names(1).print(out, screen.painter());
        for (String note : legend(perDataset)) {
            screen.wrap(note).forEach(out::println);
        }
        if (!perDataset) {
            screen.wrap("(the mean on each of the " + datasets.size() + " datasets does not fit in " + screen.width()
                    + " columns: --width, -o csv or -o json show it)").forEach(out::println);
        }
    }

    /**
     * Whether the dataset columns fit beside the others (long model names cut in the middle) and
     * still leave the parameters their comfortable width, or all they need.
     */
    private boolean fits(int width) {
        int params = "PARAMS".length();
        for (Row r : rows) {
            params = Math.max(params, Params.text(r.params()).length());
        }
        int room = width - GAP - Math.min(params, PARAMS_COMFORT);
        return table(true, false).within(room).names(1).fittedWidth() <= room;
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + title() + "**");
        out.println();
        out.println(OverallLeaderboard.RANKING);
        out.println();
        table(true, true).printMarkdown(out);
        List<String> notes = legend(true);
        if (!notes.isEmpty()) {
            out.println();
            out.println(String.join("   ", notes));
        }
    }

    private Table table(boolean perDataset, boolean params) {
        List<String> headers = new ArrayList<>(List.of("RANK", "MODEL", "TRIAL", "MEAN RANK", "DATASETS"));
        if (perDataset) {
            datasets.forEach(d -> headers.add(Table.middle(d, DATASET_HEADER)));
        }
        if (params) {
            headers.add("PARAMS");
        }
        Table t = new Table(headers).alignRight(0, 2, 3, 4);
        for (int c = 5; c < 5 + (perDataset ? datasets.size() : 0); c++) {
            t.alignRight(c);
        }
        for (Row r : rows) {
            OverallLeaderboard.Standing s = r.standing();
            List<Object> line = new ArrayList<>(List.of(s.rank(), s.model(), s.trial(),
                    Painter.mark(String.format(Locale.ROOT, "%.2f", s.meanRank()), s.rank() == 1 ? Painter.Mark.BEST : null),
                    s.covered() + " of " + datasets.size()));
            if (perDataset) {
                for (String dataset : datasets) {
                    OverallLeaderboard.Score score = s.on(dataset);
                    LeaderboardReport.Shown shown = r.shown().get(dataset);
                    if (shownMetric() != null) {
                        line.add(shown == null || shown.mean() == null ? "-  " : Numbers.format(shown.mean()) + "  ");
                    } else {
                        line.add(score == null ? "-  " : Painter.mark(Numbers.format(score.mean()) + (score.best() ? " *" : "  "),
                                score.best() ? Painter.Mark.BEST : null));
                    }
                }
            }
            if (params) {
                line.add(Params.text(r.params()));
            }
            t.row(line);
        }
        return t;
    }
}
