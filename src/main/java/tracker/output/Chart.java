package tracker.output;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart to draw, in the terminal ({@link TerminalPlot}) or as SVG ({@link SvgCharts}): lines
 * of points over a numeric x, each point with an optional band around it (a spread, drawn lighter),
 * and vertical markers at chosen x values.
 *
 * @param title   what the chart shows, one line
 * @param xLabel  the x axis, e.g. "epoch"
 * @param yLabel  the y axis, e.g. "val.acc"
 * @param band    what the bands around the lines show, for the legend (e.g. "min..max over 3 replicates"); null when none
 * @param lines   in legend order; a line's colour or letter follows its place here
 * @param markers vertical lines, e.g. the epoch the objective chose
 */
public record Chart(String title, String xLabel, String yLabel, String band, List<Line> lines, List<Marker> markers) {
    public Chart {
        lines = List.copyOf(lines);
        markers = List.copyOf(markers);
    }

    /** One point; {@code low} and {@code high} are NaN when it has no band. */
    public record Point(double x, double y, double low, double high) {
        public static Point of(double x, double y) {
            return new Point(x, y, Double.NaN, Double.NaN);
        }

        public boolean hasBand() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }
    }

    /**
     * @param name   the line's name in the legend
     * @param detail what else the legend says about it (may be empty)
     * @param points in increasing x; points with a non-finite y are gaps
     * @param colour its colour's place in the palette, so that charts side by side agree (train is
     *               the same colour in every panel); -1: its place among the chart's lines
     */
    public record Line(String name, String detail, List<Point> points, int colour) {
        public Line {
            points = List.copyOf(points);
        }

        public Line(String name, String detail, List<Point> points) {
            this(name, detail, points, -1);
        }

        /** The colour of the line at {@code index} of its chart. */
        public int colour(int index) {
            return colour >= 0 ? colour : index;
        }
    }

    public record Marker(double x, String label) {
    }

    /** The closed interval the data spans on one axis; {@code empty()} when there is no finite value. */
    public record Range(double min, double max) {
        static final Range EMPTY = new Range(Double.NaN, Double.NaN);

        public boolean empty() {
            return Double.isNaN(min);
        }

        Range with(double v) {
            if (!Double.isFinite(v)) {
                return this;
            }
            return empty() ? new Range(v, v) : new Range(Math.min(min, v), Math.max(max, v));
        }
    }

    /** Where the points lie in x (markers included, so that they are inside the plot). */
    public Range xRange() {
        Range r = Range.EMPTY;
        for (Line l : lines) {
            for (Point p : l.points()) {
                if (Double.isFinite(p.y())) {
                    r = r.with(p.x());
                }
            }
        }
        for (Marker m : markers) {
            r = r.with(m.x());
        }
        return r;
    }

    /** Where the points and their bands lie in y. */
    public Range yRange() {
        Range r = Range.EMPTY;
        for (Line l : lines) {
            for (Point p : l.points()) {
                r = r.with(p.y());
                if (p.hasBand()) {
                    r = r.with(p.low()).with(p.high());
                }
            }
        }
        return r;
    }

    /** Whether any point has a value to draw. */
    public boolean hasData() {
        return !yRange().empty();
    }

    /**
     * Round tick values covering {@code range} with about {@code count} intervals: steps of 1, 2 or 5
     * times a power of ten, the first at or below the minimum and the last at or above the maximum,
     * so an axis that runs from the first tick to the last holds every value. A range of one value
     * gets a step around it.
     */
    public static List<Double> ticks(Range range, int count) {
        double min = range.min();
        double max = range.max();
        if (max == min) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double rough = (max - min) / Math.max(1, count);
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = power * 10;
        for (double f : new double[] {1, 2, 5, 10}) {
            if (power * f >= rough) {
                step = power * f;
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        long first = (long) Math.floor(min / step + 1e-9);
        long last = (long) Math.ceil(max / step - 1e-9);
        for (long k = first; k <= last; k++) {
            // k * step, rounded to the step's decimals: 0.30000000000000004 would print as such in SVG
            ticks.add(round(k * step, step));
        }
        return ticks;
    }

    private static double round(double v, double step) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)) + 1);
        return new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * Where the x axis runs: from the first x to the last, exactly (a curve starts at the axis and
     * ends at its end; epochs 1 to 12 waste no room on 0 or 15); one value gets one unit after it.
     */
    public Range xAxis() {
        Range r = xRange();
        return r.max() > r.min() ? r : new Range(r.min(), r.min() + 1);
    }

    /** The ticks on the x axis, inside it: whole numbers when every x is one (epochs), else as {@link #ticks}. */
    public List<Double> xTicks(int count) {
        boolean whole = lines.stream().flatMap(l -> l.points().stream()).allMatch(p -> p.x() == Math.rint(p.x()))
                && markers.stream().allMatch(m -> m.x() == Math.rint(m.x()));
        Range axis = xAxis();
        List<Double> all = whole ? integerTicks(axis, count) : ticks(axis, count);
        List<Double> inside = new ArrayList<>(all.stream().filter(t -> t >= axis.min() && t <= axis.max()).toList());
        if (whole && all.size() > 1) {
            // the first and last epoch too, unless a round tick is near: epochs 1..12 read 1 5 10 12
            double step = all.get(1) - all.get(0);
            if (inside.isEmpty() || inside.get(0) - axis.min() >= step / 2) {
                inside.add(0, axis.min());
            }
            if (axis.max() - inside.get(inside.size() - 1) >= step / 2) {
                inside.add(axis.max());
            }
        }
        return inside;
    }

    public List<Double> yTicks(int count) {
        return ticks(yRange(), count);
    }

    /** Integer ticks over a range: as {@link #ticks}, with a step of at least 1; one value gets the next as well. */
    static List<Double> integerTicks(Range range, int count) {
        double min = Math.floor(range.min());
        double max = Math.max(min + 1, Math.ceil(range.max()));
        if (max - min <= count) {
            List<Double> out = new ArrayList<>();
            for (double v = min; v <= max; v++) {
                out.add(v);
            }
            return out;
        }
        return ticks(new Range(min, max), count);
    }

    /** A tick's text with as many decimals as the step between ticks needs (0.05 -> "0.80", 5 -> "10"). */
    public static String tickText(double v, List<Double> ticks) {
        double step = ticks.size() < 2 ? 1 : ticks.get(1) - ticks.get(0);
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }
}
