package tracker.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.output.Chart;
import tracker.output.Delimited;
import tracker.output.Screen;
import tracker.output.SvgCharts;
import tracker.output.Table;
import tracker.output.TerminalPlot;

/**
 * The curves view: on one dataset, per model, the chosen configuration's learning curve of the
 * shown metric - per epoch the mean over its replicates (the line) and their min..max (the band).
 * Drawn in the terminal ({@link TerminalPlot}) or as SVG ({@link SvgCharts}); the machine formats
 * carry the plotted numbers.
 */
public final class CurvesReport implements Report, Report.Svg {
    /** What the band shows, in the legend and docs/report-formats.md. */
    static final String BAND = "min..max over the replicates";

    private final String experiment;
    private final String dataset;
    private final Selection selection;
    private final List<Curves.Curve> curves;

    public CurvesReport(String experiment, String dataset, Selection selection, List<Curves.Curve> curves) {
        this.experiment = experiment;
        this.dataset = dataset;
        this.selection = selection;
        this.curves = List.copyOf(curves);
    }

    public List<Curves.Curve> curves() {
        return curves;
    }

    /** The one line that says what the curves are and how their configurations were chosen. */
    public String describe() {
        Selection.Objective o = selection.objective();
        String epochs = selection.epoch() == Selection.EpochRule.best ? "each run's best " + o.phase() + "." + o.metric() + " epoch"
                : "each run's last epoch";
        return selection.shown() + " per epoch of each model's configuration with the best mean " + o + " at " + epochs
                + "; line: mean, band: " + BAND;
    }

    private String title() {
        return experiment + " on " + dataset + ": " + describe();
    }

    @Override
    public Object json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", experiment);
        out.put("dataset", dataset);
        out.put("metric", selection.shown().toString());
        out.put("objective", selection.objective().toString());
        out.put("epoch", selection.epoch().name());
        out.put("selection", describe());
        List<Object> list = new ArrayList<>();
        for (Curves.Curve c : curves) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("model", c.model());
            cm.put("trial", c.trial());
            cm.put("replicates", c.replicates());
            cm.put("runs", c.runs());
            List<Object> points = new ArrayList<>();
            for (Curves.Point p : c.points()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("epoch", p.epoch());
                pm.put("mean", p.mean());
                pm.put("std", p.std());
                pm.put("min", p.min());
                pm.put("max", p.max());
                pm.put("n", p.n());
                points.add(pm);
            }
            cm.put("points", points);
            list.add(cm);
        }
        out.put("curves", list);
        return out;
    }

    @Override
    public void delimited(PrintWriter out, char sep) {
        Delimited d = new Delimited(out, sep);
        d.row("model", "trial", "epoch", "mean", "std", "min", "max", "n");
        for (Curves.Curve c : curves) {
            for (Curves.Point p : c.points()) {
                d.row(c.model(), c.trial(), p.epoch(), p.mean(), p.std(), p.min(), p.max(), p.n());
            }
        }
    }

    /** Unicode characters; {@link #plot} chooses. */
    @Override
    public void table(PrintWriter out, Screen screen) {
        plot(out, screen, TerminalPlot.Glyphs.UNICODE);
    }

    /** The title wrapped to the screen, the plot, its legend. */
    public void plot(PrintWriter out, Screen screen, TerminalPlot.Glyphs glyphs) {
        screen.wrap(title()).forEach(out::println);
        out.println();
        TerminalPlot.render(chart(), screen.width(), TerminalPlot.HEIGHT, glyphs, screen.painter()).forEach(out::println);
    }

    @Override
    public void markdown(PrintWriter out) {
        out.println("**" + experiment + " on " + dataset + "**: " + describe());
        out.println();
        Table t = new Table("MODEL", "TRIAL", "EPOCH", "MEAN", "STD", "MIN", "MAX", "N").alignRightFrom(1);
        for (Curves.Curve c : curves) {
            for (Curves.Point p : c.points()) {
                t.row(c.model(), c.trial(), p.epoch(), Numbers.format(p.mean()), Numbers.format(p.std()), Numbers.format(p.min()),
                        Numbers.format(p.max()), p.n());
            }
        }
        t.printMarkdown(out);
    }

    /** A standalone SVG document of the same chart, titled with what it shows. */
    @Override
    public void svg(PrintWriter out) {
        out.print(SvgCharts.document(experiment + " on " + dataset, describe(), List.of(chart())));
    }

    Chart chart() {
        List<Chart.Line> lines = new ArrayList<>();
        for (Curves.Curve c : curves) {
            List<Chart.Point> points = new ArrayList<>();
            for (Curves.Point p : c.points()) {
                points.add(new Chart.Point(p.epoch(), p.mean(), p.min(), p.max()));
            }
            lines.add(new Chart.Line(c.model(), legend(c), points));
        }
        return new Chart(selection.shown() + " on " + dataset, "epoch", selection.shown().toString(), BAND, lines, List.of());
    }

    /** What the legend says about a model's curve: its configuration, how many replicates, where fewer stand behind it. */
    static String legend(Curves.Curve c) {
        if (c.trial() == null) {
            return "no configuration with a value yet";
        }
        String text = "trial " + c.trial() + ", " + c.replicates() + (c.replicates() == 1 ? " replicate" : " replicates");
        List<Long> fewer = Curves.fewer(c.points(), c.replicates());
        if (c.points().isEmpty()) {
            text += ", none logged this metric";
        } else if (!fewer.isEmpty()) {
            text += " (" + fewerWords(fewer, c.points()) + ")";
        }
        return text;
    }

    /** "fewer from epoch 9" when the replicates stop at different epochs; "fewer at epoch 3" for the odd gap. */
    private static String fewerWords(List<Long> fewer, List<Curves.Point> points) {
        List<Long> tail = points.subList(points.size() - fewer.size(), points.size()).stream().map(Curves.Point::epoch).toList();
        if (tail.equals(fewer)) {
            return "fewer from epoch " + fewer.get(0);
        }
        if (fewer.size() <= 3) {
            return "fewer at epoch" + (fewer.size() == 1 ? " " : "s ") + String.join(", ", fewer.stream().map(String::valueOf).toList());
        }
        return "fewer at " + fewer.size() + " epochs from epoch " + fewer.get(0);
    }
}
