package tracker.output;

import java.util.ArrayList;
import java.util.List;

/** Where a table goes: how wide the terminal is, and how marked cells are painted. */
public record Screen(int width, Painter painter) {
    /** What tests and pipes get: 80 columns, no colour. */
    public static final Screen PLAIN = new Screen(80, Painter.PLAIN);

    /** Joins {@code items} with {@code sep} into lines of at most the screen's width (an item longer than it stands alone). */
    public List<String> flow(List<String> items, String sep) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String item : items) {
            if (line.length() > 0 && line.length() + sep.length() + item.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(sep);
            }
            line.append(item);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Word-wraps {@code text} to the screen's width. */
    public List<String> wrap(String text) {
        return flow(List.of(text.split(" ")), " ");
    }
}
