package tracker.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tracker.RunStatus;

/**
 * Per cell: runs by status, and for the whole experiment an estimate of the time left from the
 * durations of the runs finished so far and the number of runs in flight (the workers at hand).
 */
public final class Progress {
    public record CellInput(String model, String dataset, long total, long running, List<String> finishedStatuses,
                            List<Long> durationsMillis) {
    }

    /** @param pruned runs early stopping ended: finished, so done like the others */
    public record Cell(String model, String dataset, long total, long pending, long running, long completed, long failed,
                       long cancelled, long pruned) {
        public long done() {
            return completed + failed + cancelled + pruned;
        }
    }

    /** @param eta null when nothing has finished yet (no duration to go by) or nothing is running */
    public record Result(List<Cell> cells, Cell overall, Duration eta) {
    }

    /** The bar's glyph for pruned runs: lighter than completed, heavier than running. */
    static final String PRUNED_GLYPH = "▆";

    private Progress() {
    }

    public static Result compute(List<CellInput> inputs) {
        List<Cell> cells = new ArrayList<>();
        long total = 0, pending = 0, running = 0, completed = 0, failed = 0, cancelled = 0, pruned = 0;
        long durationSum = 0;
        long durationCount = 0;
        for (CellInput in : inputs) {
            long c = in.finishedStatuses().stream().filter("completed"::equals).count();
            long f = in.finishedStatuses().stream().filter(RunStatus::isFailure).count();
            long x = in.finishedStatuses().stream().filter(RunStatus.CANCELLED::equals).count();
            long s = in.finishedStatuses().stream().filter(RunStatus.PRUNED::equals).count();
            long p = Math.max(0, in.total() - c - f - x - s - in.running());
            cells.add(new Cell(in.model(), in.dataset(), in.total(), p, in.running(), c, f, x, s));
            total += in.total();
            pending += p;
            running += in.running();
            completed += c;
            failed += f;
            cancelled += x;
            pruned += s;
            for (Long d : in.durationsMillis()) {
                durationSum += d;
                durationCount++;
            }
        }
        Duration eta = null;
        if (durationCount > 0 && running > 0) {
            double mean = (double) durationSum / durationCount;
            // The runs in flight are about half done on average; the pending ones wait for the same workers.
            eta = Duration.ofMillis(Math.round(mean * (pending + running / 2.0) / running));
        } else if (pending == 0 && running == 0) {
            eta = Duration.ZERO;
        }
        return new Result(cells, new Cell("all", "all", total, pending, running, completed, failed, cancelled, pruned), eta);
    }

    /**
     * A bar of {@code width} characters: completed, pruned, failed or cancelled, running, pending.
     * Pruned runs have a glyph of their own between completed and failed: they are done and not a
     * failure, but their result is not a configuration's, so the bar should not read as all completed.
     */
    public static String bar(Cell c, int width) {
        if (c.total() == 0) {
            return " ".repeat(width);
        }
        int done = (int) Math.round(width * (double) c.completed() / c.total());
        int cut = (int) Math.round(width * (double) c.pruned() / c.total());
        int bad = (int) Math.round(width * (double) (c.failed() + c.cancelled()) / c.total());
        int run = (int) Math.round(width * (double) c.running() / c.total());
        done = Math.min(done, width);
        cut = Math.min(cut, width - done);
        bad = Math.min(bad, width - done - cut);
        run = Math.min(run, width - done - cut - bad);
        return "█".repeat(done) + PRUNED_GLYPH.repeat(cut) + "▓".repeat(bad) + "▒".repeat(run)
                + "·".repeat(width - done - cut - bad - run);
    }
}
