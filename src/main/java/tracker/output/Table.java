package tracker.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain text table: a header row and aligned columns; numeric columns align right. Cells may
 * carry a {@link Painter.Mark}; widths are measured on the text, so colour never shifts columns.
 */
public final class Table {
    private static final String GAP = "  ";
    private final List<String> headers;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<Painter.Mark>> marks = new ArrayList<>();
    private int shrinkColumn = -1;
    private int wrapColumn = -1;
    private final boolean[] middle;
    private int maxWidth = Integer.MAX_VALUE;
    private List<String> groups;

    /** Names are cut in the middle no shorter than this: "resnet…finetune" still tells them apart. */
    static final int MIN_NAME = 14;
    /** A wrapped column keeps this width (most name=value pairs fit on a line) before names are cut. */
    static final int WRAP_COMFORT = 32;
    /** Below this, a wrapped column is unreadable: lines overflow rather than wrap narrower. */
    static final int MIN_WRAP = 12;

    public Table(String... headers) {
        this.headers = List.of(headers);
        this.right = new boolean[headers.length];
        this.middle = new boolean[headers.length];
    }

    public Table(List<String> headers) {
        this(headers.toArray(String[]::new));
    }

    /** Marks columns (by index) whose values align right, like numbers. */
    public Table alignRight(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    /** Marks every column from {@code from} on as right-aligned. */
    public Table alignRightFrom(int from) {
        for (int c = from; c < right.length; c++) {
            right[c] = true;
        }
        return this;
    }

    /**
     * Keeps lines within {@code width} characters by cutting the text of column {@code column}
     * (ending it with "…"), never below the header's width; other columns are never cut.
     */
    public Table fit(int width, int column) {
        this.maxWidth = width;
        this.shrinkColumn = column;
        return this;
    }

    /**
     * Keeps lines within {@code width} characters by word-wrapping the text of column {@code column}
     * onto continuation lines (the other cells of which stay blank), then, if that is not enough, by
     * cutting the {@link #names names} columns in the middle.
     */
    public Table wrap(int width, int column) {
        this.maxWidth = width;
        this.wrapColumn = column;
        return this;
    }

    /**
     * Marks columns of names that may be cut in the middle ({@code resnet50_…_finetune}) when the
     * table is wider than its {@link #fit}/{@link #wrap} width: both ends of a name tell more than
     * its start alone.
     */
    public Table names(int... columns) {
        for (int c : columns) {
            middle[c] = true;
        }
        return this;
    }

    /** Lays out for {@code width} characters, cutting only the {@link #names names} columns. */
    public Table within(int width) {
        this.maxWidth = width;
        return this;
    }

    /**
     * A line above the header naming groups of adjacent columns (e.g. a phase over its metrics),
     * so headers need not repeat it: one name per column, null for none; a group's columns widen
     * when its name is longer than they are.
     */
    public Table groups(List<String> perColumn) {
        this.groups = new ArrayList<>(perColumn);
        return this;
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        List<Painter.Mark> m = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "-" : String.valueOf(c));
            m.add(c instanceof Painter.Marked marked ? marked.mark() : null);
        }
        rows.add(r);
        marks.add(m);
        return this;
    }

    public Table row(List<?> cells) {
        return row(cells.toArray());
    }

    public int columns() {
        return headers.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The width of the widest line as {@link #print} writes it (before any {@link #fit}). */
    public int width() {
        return total(widths());
    }

    /** The width of the widest line after cutting and wrapping for the width given to fit, wrap or within. */
    public int fittedWidth() {
        return total(fitted(0));
    }

    public void print(PrintWriter out) {
        print(out, "", Painter.PLAIN);
    }

    public void print(PrintWriter out, Painter painter) {
        print(out, "", painter);
    }

    public void print(PrintWriter out, String indent) {
        print(out, indent, Painter.PLAIN);
    }

    public void print(PrintWriter out, String indent, Painter painter) {
        int[] width = fitted(indent.length());
        if (groups != null) {
            out.println(stripTrailing(new StringBuilder(indent).append(groupLine(width))));
        }
        line(out, indent, headers, null, width, Painter.PLAIN);
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (wrapColumn < 0 || row.get(wrapColumn).length() <= width[wrapColumn]) {
                line(out, indent, row, marks.get(i), width, painter);
                continue;
            }
            List<String> pieces = wordWrap(row.get(wrapColumn), width[wrapColumn]);
            for (int k = 0; k < pieces.size(); k++) {
                List<String> cells = new ArrayList<>(k == 0 ? row : java.util.Collections.nCopies(row.size(), ""));
                cells.set(wrapColumn, pieces.get(k));
                line(out, indent, cells, k == 0 ? marks.get(i) : null, width, painter);
            }
        }
        out.flush();
    }

    /**
     * The column widths that keep lines within the width, giving up in this order: the end of the
     * {@link #fit} column; the wrapped column's width down to {@link #WRAP_COMFORT}; the middles of
     * names down to {@link #MIN_NAME}; the wrapped column's width down to its header's.
     */
    private int[] fitted(int indent) {
        int[] width = widths();
        int excess = indent + total(width) - maxWidth;
        if (shrinkColumn >= 0 && shrinkColumn < width.length) {
            excess -= narrow(width, shrinkColumn, headers.get(shrinkColumn).length(), excess);
        }
        if (wrapColumn >= 0 && wrapColumn < width.length) {
            excess -= narrow(width, wrapColumn, Math.max(headers.get(wrapColumn).length(), Math.min(WRAP_COMFORT, width[wrapColumn])), excess);
        }
        while (excess > 0) { // the widest name column gives one character at a time, so names shrink evenly
            int widest = -1;
            for (int c = 0; c < width.length; c++) {
                if (middle[c] && width[c] > Math.max(MIN_NAME, headers.get(c).length()) && (widest < 0 || width[c] > width[widest])) {
                    widest = c;
                }
            }
            if (widest < 0) {
                break;
            }
            width[widest]--;
            excess--;
        }
        if (wrapColumn >= 0 && wrapColumn < width.length) {
            narrow(width, wrapColumn, Math.max(headers.get(wrapColumn).length(), Math.min(MIN_WRAP, width[wrapColumn])), excess);
        }
        return width;
    }

    /** Takes up to {@code excess} characters from column {@code c}, not below {@code floor}; returns how many. */
    private static int narrow(int[] width, int c, int floor, int excess) {
        int cut = Math.max(0, Math.min(excess, width[c] - floor));
        width[c] -= cut;
        return cut;
    }

    private static int total(int[] width) {
        int total = 0;
        for (int c = 0; c < width.length; c++) {
            total += width[c] + (c == 0 ? 0 : GAP.length());
        }
        return total;
    }

    /** Words onto lines of at most {@code width}; a word longer than that is cut at the width. */
    static List<String> wordWrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                int cut = breakPoint(word, width);
                lines.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Where to break a word longer than {@code width}: after its last '=', '_', ',' or '/' that fits, else at the width. */
    private static int breakPoint(String word, int width) {
        for (int i = width; i > width / 3; i--) {
            if ("=_,/".indexOf(word.charAt(i - 1)) >= 0) {
                return i;
            }
        }
        return width;
    }

    /** {@code text} in at most {@code width} characters, its middle replaced by "…". */
    public static String middle(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        if (width <= 1) {
            return text.substring(0, width);
        }
        int head = (width - 1 + 1) / 2;
        int tail = width - 1 - head;
        return text.substring(0, head) + "…" + text.substring(text.length() - tail);
    }

    private int[] widths() {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        if (groups != null) {
            for (int start = 0; start < width.length; ) {
                int end = groupEnd(start);
                int span = -GAP.length();
                for (int c = start; c < end; c++) {
                    span += width[c] + GAP.length();
                }
                String name = groups.get(start);
                if (name != null && name.length() > span) {
                    width[end - 1] += name.length() - span; // the gap still separates it from the next group's name
                }
                start = end;
            }
        }
        return width;
    }

    /** The column after the group that starts at {@code start}. */
    private int groupEnd(int start) {
        int end = start + 1;
        while (end < headers.size() && Objects.equals(groups.get(end), groups.get(start))) {
            end++;
        }
        return end;
    }

    private String groupLine(int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int start = 0; start < width.length; ) {
            int end = groupEnd(start);
            int span = -GAP.length();
            for (int c = start; c < end; c++) {
                span += width[c] + GAP.length();
            }
            String name = groups.get(start) == null ? "" : groups.get(start);
            sb.append(name).append(" ".repeat(Math.max(0, span - name.length())));
            if (end < width.length) {
                sb.append(GAP);
            }
            start = end;
        }
        return sb.toString();
    }

    /** The same table as GitHub markdown (pipes escaped), right-aligned columns marked so. */
    public void printMarkdown(PrintWriter out) {
        out.println("| " + String.join(" | ", headers.stream().map(Table::md).toList()) + " |");
        StringBuilder sep = new StringBuilder("|");
        for (int c = 0; c < headers.size(); c++) {
            sep.append(right[c] ? "---:|" : "---|");
        }
        out.println(sep);
        for (List<String> r : rows) {
            out.println("| " + String.join(" | ", r.stream().map(Table::md).toList()) + " |");
        }
        out.flush();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").trim();
    }

    private void line(PrintWriter out, String indent, List<String> cells, List<Painter.Mark> marks, int[] width, Painter painter) {
        StringBuilder sb = new StringBuilder(indent);
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            if (v.length() > width[c]) {
                v = middle[c] ? middle(v, width[c]) : width[c] <= 1 ? v.substring(0, width[c]) : v.substring(0, width[c] - 1) + "…";
            }
            boolean last = c == cells.size() - 1;
            String shown = marks == null || marks.get(c) == null || v.isEmpty() ? v : painter.paint(marks.get(c), v);
            if (right[c]) {
                sb.append(" ".repeat(width[c] - v.length())).append(shown);
            } else {
                sb.append(shown);
                if (!last) {
                    sb.append(" ".repeat(width[c] - v.length()));
                }
            }
            if (!last) {
                sb.append(GAP);
            }
        }
        out.println(stripTrailing(sb));
    }

    /** Trailing blanks go; escape codes at the end of a painted cell stay. */
    private static String stripTrailing(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        return sb.substring(0, n);
    }
}
