package tracker.worker;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where a worker writes: the commands' output passed through (stdout to stdout, stderr to stderr),
 * tracker's own notes, and - on a terminal - one progress line at the bottom of stderr, wiped
 * before any other output and drawn again after it. One lock, so lines of parallel runs never mix.
 */
public final class WorkerConsole {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean progress;
    private final int width;
    private String progressLine = "";
    private boolean progressShown;
    private boolean outMidLine;
    private boolean errMidLine;

    /** @param width the terminal's, for the progress line (which must not wrap, or wiping it fails) */
    public WorkerConsole(PrintWriter out, PrintWriter err, boolean progress, int width) {
        this.out = out;
        this.err = err;
        this.progress = progress;
        this.width = width;
    }

    public int width() {
        return width;
    }

    /** Output of a command on stdout; {@code endLine} false for a piece of an overlong line. */
    public synchronized void out(String text, boolean endLine) {
        hideProgress();
        out.print(text);
        if (endLine) {
            out.print('\n');
        }
        out.flush();
        outMidLine = !endLine;
        showProgress();
    }

    public synchronized void err(String text, boolean endLine) {
        hideProgress();
        err.print(text);
        if (endLine) {
            err.print('\n');
        }
        err.flush();
        errMidLine = !endLine;
        showProgress();
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
        hideProgress();
        progressLine = line;
        showProgress();
    }

    /** Wipes the progress line for good (the worker is stopping). */
    public synchronized void done() {
        hideProgress();
        progressLine = "";
    }

    private void hideProgress() {
        if (progressShown) {
            err.print("\r\033[K");
            err.flush();
            progressShown = false;
        }
    }

    private void showProgress() {
        if (progress && !progressLine.isEmpty() && !outMidLine && !errMidLine) {
            err.print(progressLine);
            err.flush();
            progressShown = true;
        }
    }
}
