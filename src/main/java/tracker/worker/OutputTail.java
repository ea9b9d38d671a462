package tracker.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines a run's command printed (stdout and stderr, metric lines left out), bounded in
 * lines and characters, so a failed run carries the traceback that explains it without the run
 * document growing with a chatty trainer. Thread-safe: stdout and stderr are read on two threads.
 */
public final class OutputTail {
    static final int MAX_LINE = 1000;

    private final int maxLines;
    private final int maxChars;
    private final Deque<String> lines = new ArrayDeque<>();
    private int chars;
    private long totalLines;
    private long totalChars;
    private boolean cut;

    public OutputTail(int maxLines, int maxChars) {
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    /** A line (or a piece of an overlong one), already without its line break. */
    public synchronized void add(String line) {
        totalLines++;
        totalChars += line.length() + 1;
        String kept = line;
        if (line.length() > MAX_LINE) {
            kept = line.substring(0, MAX_LINE) + " …[" + (line.length() - MAX_LINE) + " more characters]";
            cut = true;
        }
        lines.addLast(kept);
        chars += kept.length() + 1;
        while (lines.size() > maxLines || (chars > maxChars && lines.size() > 1)) {
            chars -= lines.removeFirst().length() + 1;
            cut = true;
        }
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }

    /** The last line that has something on it, or null. */
    public synchronized String lastLine() {
        var it = lines.descendingIterator();
        while (it.hasNext()) {
            String l = it.next().strip();
            if (!l.isEmpty()) {
                return l;
            }
        }
        return null;
    }

    /**
     * The last {@code n} lines that have something on it, oldest first; of a line a progress bar redrew
     * with carriage returns, what it showed last.
     */
    public synchronized List<String> lastLines(int n) {
        List<String> out = new ArrayList<>();
        var it = lines.descendingIterator();
        while (it.hasNext() && out.size() < n) {
            String l = it.next();
            String shown = l.substring(l.lastIndexOf('\r', Math.max(0, l.length() - 2)) + 1).strip();
            if (!shown.isEmpty()) {
                out.add(0, shown);
            }
        }
        return out;
    }

    /** What the run document keeps: the tail and how much output there was in all. */
    public synchronized java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tail", text());
        m.put("lines", totalLines);
        m.put("chars", totalChars);
        m.put("truncated", cut);
        return m;
    }
}
