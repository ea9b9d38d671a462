package tracker.worker;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a worker writes: the commands' output passed through (stdout to stdout, stderr to stderr),
 * tracker's own notes, and the lines that are redrawn in place. One lock, so lines of parallel runs
 * never mix.
 *
 * <p>A progress bar a command redraws with carriage returns (tqdm) never goes to the terminal as it
 * came: with runs in parallel, two bars would draw over each other on one line and over their
 * {@code [model/dataset/N]} prefix. On a terminal ({@code live}) each run's bar has a line of its own
 * at the bottom of stderr, above tracker's progress line, all redrawn in place and wiped before any
 * other output; a bar that ends stays as an ordinary line. Elsewhere (a file, a pipe, a Slurm log)
 * a bar is a plain line: its state every {@link #BAR_EVERY_MILLIS} at most, and its final state.
 */
public final class WorkerConsole {
    /** How often a bar's state is written where it cannot be redrawn: a log with a line per redraw is unreadable. */
    static final long BAR_EVERY_MILLIS = 30_000;

    private record Bar(String text, boolean stdout, long shownAt, boolean shown) {
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean progress;
    private final boolean live;
    private final int width;
    private final Map<String, Bar> bars = new LinkedHashMap<>();
    private String progressLine = "";
    private int shownLines;
    private boolean outMidLine;
    private boolean errMidLine;

    /**
     * @param live  whether stderr is a terminal, where lines can be redrawn in place
     * @param width the terminal's, for the lines redrawn in place (which must not wrap, or wiping them fails)
     */
    public WorkerConsole(PrintWriter out, PrintWriter err, boolean progress, boolean live, int width) {
        this.out = out;
        this.err = err;
        this.progress = progress;
        this.live = live;
        this.width = width;
    }

    public int width() {
        return width;
    }

    /** Output of a command on stdout; {@code endLine} false for a piece of an overlong line. */
    public synchronized void out(String text, boolean endLine) {
        hide();
        out.print(text);
        if (endLine) {
            out.print('\n');
        }
        out.flush();
        outMidLine = !endLine;
        show();
    }

    public synchronized void err(String text, boolean endLine) {
        hide();
        err.print(text);
        if (endLine) {
            err.print('\n');
        }
        err.flush();
        errMidLine = !endLine;
        show();
    }

    /** Lines of tracker's own that belong together (a failed run and its last output): never split by other output. */
    public synchronized void block(List<String> lines) {
        for (String l : lines) {
            err(l, true);
        }
    }

    /** A message from tracker itself. */
    public void note(String message) {
        err("tracker: " + message, true);
    }

    public boolean showsProgress() {
        return progress;
    }

    public synchronized void progress(String line) {
        if (!progress) {
            return;
        }
        hide();
        progressLine = line;
        show();
    }

    /** The latest state of a progress bar ({@code key}: whose, which stream), already attributed. */
    public synchronized void bar(String key, String text, boolean stdout) {
        long now = System.nanoTime() / 1_000_000;
        Bar before = bars.get(key);
        if (live) {
            hide();
            bars.put(key, new Bar(text, stdout, now, true));
            show();
            return;
        }
        long since = before == null ? now : before.shownAt();
        if (now - since >= BAR_EVERY_MILLIS) {
            line(text, stdout);
            bars.put(key, new Bar(text, stdout, now, true));
        } else {
            bars.put(key, new Bar(text, stdout, since, false));
        }
    }

    /** The bar's line ended: its final state (null: it wiped itself) stays as an ordinary line. */
    public synchronized void barDone(String key, String text, boolean stdout) {
        hide();
        bars.remove(key);
        if (text != null) {
            line(text, stdout);
        }
        show();
    }

    /** The command ended in the middle of a bar: where nothing is redrawn, what it showed last is not lost. */
    public synchronized void barGone(String key) {
        Bar b = bars.remove(key);
        if (b == null) {
            return;
        }
        hide();
        if (!live && !b.shown()) {
            line(b.text(), b.stdout());
        }
        show();
    }

    private void line(String text, boolean stdout) {
        PrintWriter w = stdout ? out : err;
        w.print(text);
        w.print('\n');
        w.flush();
    }

    /** Wipes the lines redrawn in place for good (the worker is stopping). */
    public synchronized void done() {
        hide();
        progressLine = "";
        bars.clear();
    }

    /** Wipes the lines drawn in place: the cursor is at the end of the last one. */
    private void hide() {
        if (shownLines > 0) {
            err.print("\r\033[K");
            for (int i = 1; i < shownLines; i++) {
                err.print("\033[1A\r\033[K");
            }
            err.flush();
            shownLines = 0;
        }
    }

    private void show() {
        if (outMidLine || errMidLine) {
            return;
        }
        List<String> lines = new ArrayList<>();
        if (live) {
            bars.values().forEach(b -> lines.add(fit(b.text())));
        }
        if (progress && !progressLine.isEmpty()) {
            lines.add(progressLine);
        }
        if (!lines.isEmpty()) {
            err.print(String.join("\n", lines));
            err.flush();
            shownLines = lines.size();
        }
    }

    /** A line that cannot wrap: wiping a wrapped line would leave half of it. */
    private String fit(String text) {
        return text.length() < width ? text : text.substring(0, Math.max(0, width - 2)) + "…";
    }
}
