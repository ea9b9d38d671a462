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

    public record Cell(String model, String dataset, long total, long pending, long running, long completed, long failed,
                       long cancelled) {
        public long done() {
            return completed + failed + cancelled;
        }
    }

    /** @param eta null when nothing has finished yet (no duration to go by) or nothing is running */
    public record Result(List<Cell> cells, Cell overall, Duration eta) {
    }

    private Progress() {
    }

    public static Result compute(List<CellInput> inputs) {
        List<Cell> cells = new ArrayList<>();
        long total = 0, pending = 0, running = 0, completed = 0, failed = 0, cancelled = 0;
        long durationSum = 0;
        long durationCount = 0;
        for (CellInput in : inputs) {
            long c = in.finishedStatuses().stream().filter("completed"::equals).count();
            long f = in.finishedStatuses().stream().filter(RunStatus::isFailure).count();
            long x = in.finishedStatuses().stream().filter("cancelled"::equals).count();
            long p = Math.max(0, in.total() - c - f - x - in.running());
            cells.add(new Cell(in.model(), in.dataset(), in.total(), p, in.running(), c, f, x));
            total += in.total();
            pending += p;
            running += in.running();
            completed += c;
            failed += f;
            cancelled += x;
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
        return new Result(cells, new Cell("all", "all", total, pending, running, completed, failed, cancelled), eta);
    }

    /** A bar of {@code width} characters: completed, failed or cancelled, running, pending. */
    public static String bar(Cell c, int width) {
        if (c.total() == 0) {
            return " ".repeat(width);
        }
        int done = (int) Math.round(width * (double) c.completed() / c.total());
        int bad = (int) Math.round(width * (double) (c.failed() + c.cancelled()) / c.total());
        int run = (int) Math.round(width * (double) c.running() / c.total());
        done = Math.min(done, width);
        bad = Math.min(bad, width - done);
        run = Math.min(run, width - done - bad);
        return "█".repeat(done) + "▓".repeat(bad) + "▒".repeat(run) + "·".repeat(width - done - bad - run);
    }
}
