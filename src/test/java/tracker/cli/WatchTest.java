package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WatchTest {
    /** A clock that moves only when the watch sleeps. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void redraws_in_place_on_a_terminal_until_nothing_is_left_then_keeps_the_last_picture() throws Exception {
        FakeClock clock = new FakeClock();
        List<Duration> slept = new ArrayList<>();
        AtomicInteger frames = new AtomicInteger();
        StringWriter out = new StringWriter();
        int drawn = new Watch(Duration.ofSeconds(2), clock, d -> {
            slept.add(d);
            clock.now = clock.now.plus(d);
        }, true).run(new PrintWriter(out), "tracker report -e x", () -> {
            int n = frames.incrementAndGet();
            return new Watch.Frame("frame " + n + "\n", n == 3);
        });
        assertThat(drawn).isEqualTo(3);
        assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(out.toString()).isEqualTo(
                Watch.CLEAR + "Every 2s: tracker report -e x   2026-01-02 03:04:05\n\nframe 1\n"
                + Watch.CLEAR + "Every 2s: tracker report -e x   2026-01-02 03:04:07\n\nframe 2\n"
                + Watch.CLEAR + "Every 2s: tracker report -e x   2026-01-02 03:04:09   (nothing pending or running: done)\n\nframe 3\n");
    }

    @Test
    void off_a_terminal_frames_follow_each_other_without_escape_codes() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger frames = new AtomicInteger();
        new Watch(Duration.ofMillis(500), new FakeClock(), d -> { }, false).run(new PrintWriter(out), "r", () ->
                new Watch.Frame("f\n", frames.incrementAndGet() == 2));
        assertThat(out.toString()).doesNotContain("\033").isEqualTo(
                "Every 500ms: r   2026-01-02 03:04:05\n\nf\n\nEvery 500ms: r   2026-01-02 03:04:05   (nothing pending or running: done)\n\nf\n");
    }

    @Test
    void a_header_wider_than_the_screen_wraps_between_words() throws Exception {
        StringWriter out = new StringWriter();
        String what = "tracker report -e resnet_sweep_imagenet_subset_100 --view leaderboard";
        new Watch(Duration.ofSeconds(2), new FakeClock(), d -> { }, false).run(new PrintWriter(out), what, () ->
                new Watch.Frame("f\n", true, 40));
        assertThat(out.toString()).isEqualTo("""
                Every 2s: tracker report -e
                resnet_sweep_imagenet_subset_100 --view
                leaderboard   2026-01-02 03:04:05
                (nothing pending or running: done)

                f
                """);
    }
}
