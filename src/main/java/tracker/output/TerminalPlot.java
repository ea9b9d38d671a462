package tracker.output;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link Chart} drawn with characters: y ticks on the left, x ticks below, a legend under it.
 * <ul>
 *   <li>With colour on a Unicode terminal, lines are braille dots (2 x 4 per character, the finest
 *       a terminal offers) in a colour each; bands are {@code ░} in the line's colour, faint.</li>
 *   <li>Without colour, a line is one letter per column, the letter its legend gives (colour is
 *       what told braille lines apart); bands are still {@code ░}.</li>
 *   <li>In ASCII ({@code TERM=dumb}, a locale that is not UTF-8): letters, bands {@code .}, axes of
 *       {@code | - +}.</li>
 * </ul>
 * Where lines or bands overlap, the later line in the legend is drawn over the earlier.
 * Deterministic: the same chart, size and glyphs give the same text.
 */
public final class TerminalPlot {
    /** Rows of the plotting area (the axes, labels and legend come on top): tall enough to tell curves apart, short enough to stay on a screen. */
    public static final int HEIGHT = 16;
    /** Below this many columns for the plotting area a curve is not worth drawing. */
    static final int MIN_PLOT_WIDTH = 10;

    public enum Glyphs {
        UNICODE('│', '┤', '└', '─', '┬', '░', '┊'),
        ASCII('|', '+', '+', '-', '+', '.', ':');

        final char axis;
        final char yTick;
        final char corner;
        final char xAxis;
        final char xTick;
        final char band;
        final char marker;

        Glyphs(char axis, char yTick, char corner, char xAxis, char xTick, char band, char marker) {
            this.axis = axis;
            this.yTick = yTick;
            this.corner = corner;
            this.xAxis = xAxis;
            this.xTick = xTick;
            this.band = band;
            this.marker = marker;
        }
    }

    private static final int EMPTY = -1;
    /** Braille cell bits by sub-row and sub-column: dots 1-3 and 7 down the left, 4-6 and 8 down the right (Unicode's numbering). */
    private static final int[][] BITS = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
    /** What a cell holds, from weakest to strongest: a later, stronger thing replaces it. */
    private static final int NOTHING = 0;
    private static final int MARKER = 1;
    private static final int BAND = 2;
    private static final int LINE = 3;

    private final Chart chart;
    private final int width;
    private final int height;
    private final Glyphs glyphs;
    private final Painter painter;
    private final boolean braille;
    private final List<Character> letters;

    private TerminalPlot(Chart chart, int width, int height, Glyphs glyphs, Painter painter) {
        this.chart = chart;
        this.width = width;
        this.height = height;
        this.glyphs = glyphs;
        this.painter = painter;
        this.braille = painter.colours() && glyphs == Glyphs.UNICODE;
        this.letters = letters(chart.lines().stream().map(Chart.Line::name).toList());
    }

    /** The chart in at most {@code width} columns, with {@code height} rows of plotting area, then its legend. */
    public static List<String> render(Chart chart, int width, int height, Glyphs glyphs, Painter painter) {
        return new TerminalPlot(chart, width, height, glyphs, painter).lines();
    }

    /**
     * A letter for each name, different from the others: its first letter or digit that is still
     * free (upper case), else the first free one of A-Z.
     */
    static List<Character> letters(List<String> names) {
        Set<Character> used = new LinkedHashSet<>();
        List<Character> out = new ArrayList<>();
        for (String name : names) {
            Character chosen = null;
            for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
                if (((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) && !used.contains(c)) {
                    chosen = c;
                    break;
                }
            }
            for (char c = 'A'; chosen == null && c <= 'Z'; c++) {
                if (!used.contains(c)) {
                    chosen = c;
                }
            }
            chosen = chosen == null ? '*' : chosen;
            used.add(chosen);
            out.add(chosen);
        }
        return out;
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        if (!chart.hasData()) {
            out.add("(no values to plot)");
            out.addAll(legend());
            return out;
        }
        List<Double> yTicks = chart.yTicks(4);
        List<Double> xTicks = chart.xTicks(Math.max(2, Math.min(10, width / 12)));
        List<String> yLabels = yTicks.stream().map(t -> Chart.tickText(t, yTicks)).toList();
        int labelWidth = yLabels.stream().mapToInt(String::length).max().orElse(1);
        int plotWidth = Math.max(MIN_PLOT_WIDTH, width - labelWidth - 2);
        Grid grid = new Grid(plotWidth, height, chart.xAxis().min(), chart.xAxis().max(), yTicks.get(0),
                yTicks.get(yTicks.size() - 1));
        for (Chart.Marker m : chart.markers()) {
            grid.marker(m.x());
        }
        for (int i = 0; i < chart.lines().size(); i++) {
            grid.band(i, chart.lines().get(i).points());
        }
        for (int i = 0; i < chart.lines().size(); i++) {
            grid.line(i, chart.lines().get(i).points());
        }
        out.add(cut(chart.yLabel(), width));
        String[] rowLabel = new String[height];
        for (int t = 0; t < yTicks.size(); t++) {
            rowLabel[grid.row(yTicks.get(t))] = yLabels.get(t);
        }
        for (int r = 0; r < height; r++) {
            String label = rowLabel[r] == null ? "" : rowLabel[r];
            String lead = " ".repeat(labelWidth - label.length()) + label + " " + (rowLabel[r] == null ? glyphs.axis : glyphs.yTick);
            out.add(stripTrailing(lead + grid.text(r)));
        }
        StringBuilder axis = new StringBuilder(" ".repeat(labelWidth + 1)).append(glyphs.corner);
        char[] ticks = new char[plotWidth];
        java.util.Arrays.fill(ticks, glyphs.xAxis);
        for (double t : xTicks) {
            ticks[grid.column(t)] = glyphs.xTick;
        }
        out.add(axis.append(ticks).toString());
        String labels = xLabels(xTicks, labelWidth + 2, plotWidth, grid);
        if (labels.length() + 2 + chart.xLabel().length() <= width) {
            out.add(labels + "  " + chart.xLabel());
        } else {
            out.add(labels);
            out.add(" ".repeat(Math.max(0, labelWidth + 2 + plotWidth - chart.xLabel().length())) + chart.xLabel());
        }
        out.addAll(legend());
        return out;
    }

    /** The x tick labels under their ticks; a label that would touch the one before is left out. */
    private String xLabels(List<Double> xTicks, int offset, int plotWidth, Grid grid) {
        char[] line = new char[offset + plotWidth];
        java.util.Arrays.fill(line, ' ');
        int free = 0;
        for (double t : xTicks) {
            String text = Chart.tickText(t, xTicks);
            int at = offset + grid.column(t) - (text.length() - 1) / 2;
            at = Math.max(0, Math.min(at, offset + plotWidth - text.length())); // the last may end at the axis' end
            if (at < free) {
                continue;
            }
            text.getChars(0, text.length(), line, at);
            free = at + text.length() + 1;
        }
        return stripTrailing(new String(line));
    }

    private List<String> legend() {
        List<String> out = new ArrayList<>();
        out.add("");
        for (int i = 0; i < chart.lines().size(); i++) {
            Chart.Line l = chart.lines().get(i);
            String sample = braille ? "──" : String.valueOf(letters.get(i));
            String text = " " + l.name() + (l.detail().isEmpty() ? "" : "  " + l.detail());
            String plain = cut(sample + text, width);
            out.add(painter.colours() ? painter.series(l.colour(i), false, sample) + plain.substring(sample.length()) : plain);
        }
        if (chart.band() != null && chart.lines().stream().anyMatch(l -> l.points().stream().anyMatch(Chart.Point::hasBand))) {
            out.add(cut(glyphs.band + " " + chart.band(), width));
        }
        for (Chart.Marker m : chart.markers()) {
            out.add(cut(glyphs.marker + " " + m.label(), width));
        }
        return out;
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "…";
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    /** The plotting area: what each character cell holds, and which line it belongs to. */
    private final class Grid {
        private final int columns;
        private final int rows;
        private final double x0;
        private final double x1;
        private final double y0;
        private final double y1;
        private final int[][] kind;
        private final int[][] owner;
        private final int[][] dots;

        Grid(int columns, int rows, double x0, double x1, double y0, double y1) {
            this.columns = columns;
            this.rows = rows;
            this.x0 = x0;
            this.x1 = x1 == x0 ? x0 + 1 : x1;
            this.y0 = y0;
            this.y1 = y1 == y0 ? y0 + 1 : y1;
            kind = new int[rows][columns];
            owner = new int[rows][columns];
            dots = new int[rows][columns];
            for (int[] r : owner) {
                java.util.Arrays.fill(r, EMPTY);
            }
        }

        int column(double x) {
            return clamp((int) Math.round((x - x0) / (x1 - x0) * (columns - 1)), columns);
        }

        int row(double y) {
            return clamp((int) Math.round((y1 - y) / (y1 - y0) * (rows - 1)), rows);
        }

        /** The x at the middle of a column. */
        double x(int column) {
            return x0 + column * (x1 - x0) / (columns - 1);
        }

        private void put(int r, int c, int what, int line) {
            if (what >= kind[r][c]) {
                kind[r][c] = what;
                owner[r][c] = line;
            }
        }

        void marker(double x) {
            int c = column(x);
            for (int r = 0; r < rows; r++) {
                put(r, c, MARKER, EMPTY);
            }
        }

        /** Every column between two points with bands: the rows from the interpolated high to low. */
        void band(int line, List<Chart.Point> points) {
            for (int i = 0; i + 1 < points.size() || (i == 0 && points.size() == 1); i++) {
                Chart.Point a = points.get(i);
                Chart.Point b = points.size() == 1 ? a : points.get(i + 1);
                if (!a.hasBand() || !b.hasBand()) {
                    continue;
                }
                for (int c = column(a.x()); c <= column(b.x()); c++) {
                    double f = b.x() == a.x() ? 0 : Math.min(1, Math.max(0, (x(c) - a.x()) / (b.x() - a.x())));
                    int top = row(a.high() + f * (b.high() - a.high()));
                    int bottom = row(a.low() + f * (b.low() - a.low()));
                    for (int r = top; r <= bottom; r++) {
                        put(r, c, BAND, line);
                    }
                }
            }
        }

        void line(int line, List<Chart.Point> points) {
            List<Chart.Point> finite = new ArrayList<>();
            for (Chart.Point p : points) {
                if (Double.isFinite(p.y())) {
                    finite.add(p);
                } else {
                    segment(line, finite);
                    finite.clear();
                }
            }
            segment(line, finite);
        }

        /** A run of finite points: braille dots from point to point, or the line's letter in each column. */
        private void segment(int line, List<Chart.Point> points) {
            if (points.isEmpty()) {
                return;
            }
            if (braille) {
                int[] prev = null;
                for (Chart.Point p : points) {
                    int[] dot = {subColumn(p.x()), subRow(p.y())};
                    if (prev == null) {
                        dot(line, dot[0], dot[1]);
                    } else {
                        bresenham(line, prev[0], prev[1], dot[0], dot[1]);
                    }
                    prev = dot;
                }
                return;
            }
            if (points.size() == 1) {
                put(row(points.get(0).y()), column(points.get(0).x()), LINE, line);
                return;
            }
            int previous = -1;
            for (int i = 0; i + 1 < points.size(); i++) {
                Chart.Point a = points.get(i);
                Chart.Point b = points.get(i + 1);
                for (int c = column(a.x()); c <= column(b.x()); c++) {
                    double f = b.x() == a.x() ? 0 : Math.min(1, Math.max(0, (x(c) - a.x()) / (b.x() - a.x())));
                    int r = row(a.y() + f * (b.y() - a.y()));
                    // a steep step: letters down (or up) the column, so the line stays one line
                    for (int between = previous < 0 ? r : previous; between != r; between += Integer.signum(r - between)) {
                        put(between, c, LINE, line);
                    }
                    put(r, c, LINE, line);
                    previous = r;
                }
            }
        }

        private int subColumn(double x) {
            return clamp((int) Math.round((x - x0) / (x1 - x0) * (columns * 2 - 1)), columns * 2);
        }

        private int subRow(double y) {
            return clamp((int) Math.round((y1 - y) / (y1 - y0) * (rows * 4 - 1)), rows * 4);
        }

        private void bresenham(int line, int xa, int ya, int xb, int yb) {
            int dx = Math.abs(xb - xa);
            int dy = -Math.abs(yb - ya);
            int sx = xa < xb ? 1 : -1;
            int sy = ya < yb ? 1 : -1;
            int err = dx + dy;
            while (true) {
                dot(line, xa, ya);
                if (xa == xb && ya == yb) {
                    return;
                }
                int e2 = 2 * err;
                if (e2 >= dy) {
                    err += dy;
                    xa += sx;
                }
                if (e2 <= dx) {
                    err += dx;
                    ya += sy;
                }
            }
        }

        private void dot(int line, int sx, int sy) {
            int r = sy / 4;
            int c = sx / 2;
            if (kind[r][c] != LINE) {
                dots[r][c] = 0;
            }
            put(r, c, LINE, line);
            dots[r][c] |= BITS[sy % 4][sx % 2];
        }

        /** Row {@code r} as text, painted a run of cells of one line and kind at a time. */
        String text(int r) {
            StringBuilder sb = new StringBuilder();
            int c = 0;
            while (c < columns) {
                int k = kind[r][c];
                int o = owner[r][c];
                StringBuilder run = new StringBuilder();
                while (c < columns && kind[r][c] == k && owner[r][c] == o) {
                    run.append(glyph(r, c));
                    c++;
                }
                boolean paint = painter.colours() && o != EMPTY && (k == LINE || k == BAND);
                sb.append(paint ? painter.series(chart.lines().get(o).colour(o), k == BAND, run.toString()) : run);
            }
            return sb.toString();
        }

        private char glyph(int r, int c) {
            return switch (kind[r][c]) {
                case LINE -> braille ? (char) (0x2800 + dots[r][c]) : letters.get(owner[r][c]);
                case BAND -> glyphs.band;
                case MARKER -> glyphs.marker;
                default -> ' ';
            };
        }
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }
}
