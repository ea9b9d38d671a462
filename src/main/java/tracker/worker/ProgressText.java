package tracker.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import tracker.util.Durations;

/** The worker's progress line: "tracker run: 12/72 done · now mlp/iris ep 5, knn/wine · ~1m20s left". */
public final class ProgressText {
    private ProgressText() {
    }

    /**
     * @param doneSinceStart runs the experiment finished (by any worker) since this worker started:
     *                       the rate that gives the time left
     */
    public static String line(long total, long done, long doneSinceStart, Duration elapsed, Collection<Attempt> running, int width) {
        StringBuilder sb = new StringBuilder("tracker run: ").append(done).append('/').append(total).append(" done");
        List<String> now = new ArrayList<>();
        for (Attempt a : running) {
            long ep = a.lastEpoch();
            now.add(a.claim().model() + "/" + a.claim().dataset() + (ep >= 0 ? " ep " + ep : ""));
        }
        if (!now.isEmpty()) {
            sb.append(" · now ").append(String.join(", ", now));
        }
        long left = total - done;
        if (doneSinceStart > 0 && left > 0) {
            long secs = Math.round(elapsed.toSeconds() * (double) left / doneSinceStart);
            sb.append(" · ~").append(Durations.format(Duration.ofSeconds(secs))).append(" left");
        }
        String s = sb.toString();
        return s.length() < width ? s : s.substring(0, Math.max(0, width - 2)) + "…";
    }
}
