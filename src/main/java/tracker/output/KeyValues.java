package tracker.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The human form of a single record: aligned "key   value" lines. */
public final class KeyValues {
    private final List<String[]> rows = new ArrayList<>();

    public KeyValues add(String key, Object value) {
        rows.add(new String[] {key, value == null ? "-" : String.valueOf(value)});
        return this;
    }

    public void print(PrintWriter out) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.println(r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
        }
        out.flush();
    }
}
