package tracker.output;

import java.io.PrintWriter;
import java.util.List;

import tracker.util.FloatText;

/**
 * CSV (RFC 4180 quoting) and TSV (tabs and line breaks in values become spaces) lines. Numbers are
 * written as pandas reads them back: NaN, inf and -inf included; null is an empty field.
 */
public final class Delimited {
    private final PrintWriter out;
    private final char sep;

    public Delimited(PrintWriter out, char sep) {
        this.out = out;
        this.sep = sep;
    }

    public void row(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(field(values.get(i)));
        }
        out.println(sb);
    }

    public void row(Object... values) {
        row(java.util.Arrays.asList(values));
    }

    String field(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "NaN" : FloatText.of(d);
        }
        String s = v.toString();
        if (sep == '\t') {
            return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
        }
        if (s.indexOf(sep) >= 0 || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
