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
    private int maxWidth = Integer.MAX_VALUE;
    private List<String> groups;

    public Table(String... headers) {
        this.headers = List.of(headers);
        this.right = new boolean[headers.length];
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
        int[] w = widths();
        int total = 0;
        for (int c = 0; c < w.length; c++) {
            total += w[c] + (c == 0 ? 0 : GAP.length());
        }
        return total;
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
        int[] width = widths();
        if (shrinkColumn >= 0 && shrinkColumn < width.length) {
            int excess = indent.length() + width() - maxWidth;
            if (excess > 0) {
                width[shrinkColumn] = Math.max(headers.get(shrinkColumn).length(), width[shrinkColumn] - excess);
            }
        }
        if (groups != null) {
            out.println(stripTrailing(new StringBuilder(indent).append(groupLine(width))));
        }
        line(out, indent, headers, null, width, Painter.PLAIN);
        for (int i = 0; i < rows.size(); i++) {
            line(out, indent, rows.get(i), marks.get(i), width, painter);
        }
        out.flush();
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
                v = width[c] <= 1 ? v.substring(0, width[c]) : v.substring(0, width[c] - 1) + "…";
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
