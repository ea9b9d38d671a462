package tracker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import tracker.output.Chart;
import tracker.output.SvgCharts;

/**
 * One run's learning curves ({@code tracker show RUN -o svg}): a panel per metric name, a line per
 * phase that logged it (train, val, test, then any other phase by name), and on every panel the
 * epoch the objective chose for the run, dashed.
 */
public final class RunCurves {
    /** Phases in the order a reader expects them, so their colours are the same on every panel. */
    private static final List<String> PHASE_ORDER = List.of("train", "val", "test");

    private RunCurves() {
    }

    /** One logged epoch: values by phase, then metric. */
    public record Epoch(long epoch, Map<String, Map<String, Double>> values) {
    }

    /**
     * @param chosenEpoch the epoch the objective chose (its best), or null when the run has none
     * @param objective   the objective as text, e.g. "val.acc (maximize)"
     */
    public static List<Chart> charts(List<Epoch> epochs, Long chosenEpoch, String objective) {
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> otherPhases = new TreeSet<>();
        for (Epoch e : epochs) {
            e.values().forEach((phase, metrics) -> {
                names.addAll(metrics.keySet());
                if (!PHASE_ORDER.contains(phase)) {
                    otherPhases.add(phase);
                }
            });
        }
        List<String> phases = new ArrayList<>(PHASE_ORDER);
        phases.addAll(otherPhases);
        List<Chart.Marker> markers = chosenEpoch == null ? List.of()
                : List.of(new Chart.Marker(chosenEpoch, "epoch " + chosenEpoch + ": the best " + objective));
        List<Chart> charts = new ArrayList<>();
        for (String name : names) {
            List<Chart.Line> lines = new ArrayList<>();
            for (int colour = 0; colour < phases.size(); colour++) {
                String phase = phases.get(colour);
                List<Chart.Point> points = new ArrayList<>();
                for (Epoch e : epochs) {
                    Map<String, Double> m = e.values().get(phase);
                    Double v = m == null ? null : m.get(name);
                    if (v != null) {
                        points.add(Chart.Point.of(e.epoch(), v)); // NaN and infinities stay: a gap in the line
                    }
                }
                if (!points.isEmpty()) {
                    lines.add(new Chart.Line(phase + "." + name, "", points, colour));
                }
            }
            charts.add(new Chart(name, "epoch", name, null, lines, markers));
        }
        return charts;
    }

    /**
     * The epoch the objective chooses for a run ({@link Selection.EpochRule#best}): the earliest with
     * its best finite value - as the run's summary records it; null when no epoch has one.
     */
    public static Long bestEpoch(List<Epoch> epochs, Selection.Objective objective) {
        Long chosen = null;
        double best = Double.NaN;
        for (Epoch e : epochs) {
            Map<String, Double> m = e.values().get(objective.phase());
            Double v = m == null ? null : m.get(objective.metric());
            if (v == null || v.isNaN()) {
                continue;
            }
            if (chosen == null || (objective.maximize() ? v > best : v < best)) {
                chosen = e.epoch();
                best = v;
            }
        }
        return chosen;
    }

    /**
     * The run's curves as a standalone SVG document, titled with the run's id and {@code description},
     * the epoch {@code objective} chooses marked (no mark without an objective, or a value of it); a
     * run without epochs gets a document that says so.
     */
    public static String svg(String runId, String description, List<Epoch> epochs, Selection.Objective objective) {
        Long chosen = objective == null ? null : bestEpoch(epochs, objective);
        List<Chart> charts = charts(epochs, chosen, objective == null ? null : objective.toString());
        if (charts.isEmpty()) {
            charts = List.of(new Chart("no epoch logged yet", "epoch", "", null, List.of(), List.of()));
        }
        String subtitle = description + "; per-epoch metrics" + (chosen == null ? "" : "; dashed: the epoch of the best " + objective);
        return SvgCharts.document(runId, subtitle, charts);
    }
}
