package tracker.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row and aligned columns; numeric columns align right. */
public final class Table {
    private final List<String> headers;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
        this.right = new boolean[headers.length];
    }

    /** Marks columns (by index) whose values align right, like numbers. */
    public Table alignRight(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "-" : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        print(out, "");
    }

    public void print(PrintWriter out, String indent) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        line(out, indent, headers, width);
        for (List<String> r : rows) {
            line(out, indent, r, width);
        }
        out.flush();
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

    private void line(PrintWriter out, String indent, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder(indent);
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            boolean last = c == cells.size() - 1;
            if (right[c]) {
                sb.append(" ".repeat(width[c] - v.length())).append(v);
            } else {
                sb.append(v);
                if (!last) {
                    sb.append(" ".repeat(width[c] - v.length()));
                }
            }
            if (!last) {
                sb.append("  ");
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
