package tracker.report.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The critical-difference diagram for a terminal of a given width:
 * <pre>
 * Critical difference (Nemenyi, α = 0.10): CD = 1.12; 4 models, 14
 * datasets
 *               CD ├────────────────┤
 *                  1              2               3              4
 *                  ├──────────────┼───────────────┼──────────────┤
 *                                 ┿━━━━━━━━━━━━━┿   │
 *                                 │             ┿━━━┿
 * C4.5+m+cf  1.96 ────────────────┤             │   │
 * C4.5+m     2.00 ────────────────┘             │   │
 * C4.5+cf    2.89 ──────────────────────────────┘   │
 * C4.5       3.14 ──────────────────────────────────┘
 * A line joins models whose average ranks differ by less than CD:
 * the test cannot tell them apart.
 * </pre>
 * The axis of average rank runs from 1 (left) to k; the bar above it is CD long; each thick line
 * under it is a clique; each model hangs from its rank to its name and average rank, best first.
 * Deterministic; {@code unicode = false} draws with ASCII only ({@code | - + ' =}).
 *
 * <p>Names are shortened (ending in … or ~) when the axis would otherwise get narrower than
 * {@link #MIN_AXIS} columns or two columns per model; no line is wider than {@code width} unless
 * even that does not fit.
 */
public final class CdDiagramText {
    /** The narrowest axis worth drawing. */
    public static final int MIN_AXIS = 20;
    private static final int MIN_NAME = 4;

    private record Glyphs(char line, char bar, char corner, char tee, char start, char end, char tick, char thick, char cross,
            String ellipsis) {
    }

    private static final Glyphs UNICODE = new Glyphs('─', '│', '┘', '┤', '├', '┤', '┼', '━', '┿', "…");
    private static final Glyphs ASCII = new Glyphs('-', '|', '\'', '+', '+', '+', '+', '=', '+', "~");

    private CdDiagramText() {
    }

    public static String render(CdDiagram d, int width, boolean unicode) {
        Glyphs g = unicode ? UNICODE : ASCII;
        int k = d.models();
        double[] ranks = d.averageRanks();
        Integer[] order = d.byRank();
        int rankWidth = 0;
        int nameWidth = 0;
        for (int m = 0; m < k; m++) {
            rankWidth = Math.max(rankWidth, CdDiagram.rankText(ranks[m]).length());
            nameWidth = Math.max(nameWidth, length(CdDiagram.printable(d.names().get(m))));
        }
        String lastTick = Integer.toString(k);
        int minAxis = Math.max(MIN_AXIS, 2 * k - 1);
        // label = name, two spaces, rank; then a space, at least one line character, and the axis
        int fixed = 2 + rankWidth + 2 + lastTick.length() - 1;
        nameWidth = Math.max(Math.min(nameWidth, width - fixed - minAxis), Math.min(nameWidth, MIN_NAME));
        int labelWidth = nameWidth + 2 + rankWidth;
        int axisStart = labelWidth + 2;
        int axisLength = Math.max(minAxis, width - axisStart - (lastTick.length() - 1));

        List<String> lines = new ArrayList<>(wrap(d.caption(unicode), width));
        lines.add(cdBar(d, g, axisStart, axisLength));
        lines.add(tickNumbers(k, axisStart, axisLength));
        lines.add(axis(k, g, axisStart, axisLength));
        int[] column = new int[k];
        for (int m = 0; m < k; m++) {
            column[m] = column(ranks[m], k, axisStart, axisLength);
        }
        for (Clique c : d.cliques()) {
            int[] row = blank(axisStart + axisLength);
            int from = column[c.models().get(0)];
            int to = column[c.models().get(c.models().size() - 1)];
            Arrays.fill(row, from, to + 1, g.thick());
            for (int m = 0; m < k; m++) {
                row[column[m]] = column[m] >= from && column[m] <= to ? g.cross() : g.bar();
            }
            lines.add(strip(row));
        }
        for (int i = 0; i < k; i++) {
            int m = order[i];
            int[] row = blank(axisStart + axisLength);
            String label = pad(shorten(CdDiagram.printable(d.names().get(m)), nameWidth, g), nameWidth) + "  "
                    + padLeft(CdDiagram.rankText(ranks[m]), rankWidth);
            put(row, 0, label);
            Arrays.fill(row, labelWidth + 1, column[m], g.line());
            row[column[m]] = g.corner();
            for (int j = i + 1; j < k; j++) {
                int other = column[order[j]];
                row[other] = other == column[m] ? g.tee() : g.bar();
            }
            lines.add(strip(row));
        }
        lines.addAll(wrap(CdDiagram.legend(), width));
        return String.join("\n", lines) + "\n";
    }

    private static int column(double rank, int k, int axisStart, int axisLength) {
        return axisStart + (int) Math.round((rank - 1) / (k - 1) * (axisLength - 1));
    }

    /** "CD ├────┤", the bar as long as CD in the axis's units (cut at the axis's end when CD is wider than it). */
    private static String cdBar(CdDiagram d, Glyphs g, int axisStart, int axisLength) {
        int k = d.models();
        int length = Math.min(axisLength, (int) Math.round(d.criticalDifference() / (k - 1) * (axisLength - 1)) + 1);
        int[] row = blank(axisStart + length);
        put(row, axisStart - 3, "CD");
        Arrays.fill(row, axisStart, axisStart + length, g.line());
        row[axisStart] = g.start();
        row[axisStart + length - 1] = g.end();
        return strip(row);
    }

    /** 1 .. k over their ticks; a number that would touch the one before it is left out, k never. */
    private static String tickNumbers(int k, int axisStart, int axisLength) {
        int[] row = blank(axisStart + axisLength + Integer.toString(k).length());
        int lastCol = column(k, k, axisStart, axisLength);
        int free = 0;
        for (int t = 1; t <= k; t++) {
            String s = Integer.toString(t);
            int col = column(t, k, axisStart, axisLength);
            boolean fits = col >= free && (t == k || col + s.length() < lastCol);
            if (fits) {
                put(row, col, s);
                free = col + s.length() + 1;
            }
        }
        return strip(row);
    }

    private static String axis(int k, Glyphs g, int axisStart, int axisLength) {
        int[] row = blank(axisStart + axisLength);
        Arrays.fill(row, axisStart, axisStart + axisLength, g.line());
        for (int t = 2; t < k; t++) {
            row[column(t, k, axisStart, axisLength)] = g.tick();
        }
        row[axisStart] = g.start();
        row[axisStart + axisLength - 1] = g.end();
        return strip(row);
    }

    private static String shorten(String name, int width, Glyphs g) {
        if (length(name) <= width) {
            return name;
        }
        return name.substring(0, name.offsetByCodePoints(0, width - 1)) + g.ellipsis();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - length(s)));
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** A row of columns, one code point each, so that names outside the BMP keep the columns aligned. */
    private static int[] blank(int length) {
        int[] row = new int[length];
        Arrays.fill(row, ' ');
        return row;
    }

    private static void put(int[] row, int column, String text) {
        int[] points = text.codePoints().toArray();
        System.arraycopy(points, 0, row, column, points.length);
    }

    private static String strip(int[] row) {
        return new String(row, 0, row.length).stripTrailing();
    }

    /** Breaks text at spaces into lines of at most {@code width} code points (a longer word stays whole). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && length(line.toString()) + 1 + length(word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
