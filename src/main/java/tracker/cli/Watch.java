package tracker.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

import tracker.output.Painter;
import tracker.output.Screen;
import tracker.util.Durations;

/**
 * {@code --watch}: draws a frame, waits, draws the next in its place, until the frame says the
 * experiment is settled (nothing pending or running: that last picture stays) or the user
 * interrupts. On a terminal each frame clears the screen first; elsewhere frames follow each other
 * separated by a blank line. Clock and sleep are injected, so tests need not wait.
 */
final class Watch {
    static final String CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One picture: its text, whether the experiment has nothing left pending or running, and the screen's width. */
    record Frame(String text, boolean settled, int width) {
        Frame(String text, boolean settled) {
            this(text, settled, Integer.MAX_VALUE);
        }
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private final boolean terminal;

    Watch(Duration interval, Clock clock, Sleeper sleeper, boolean terminal) {
        this.interval = interval;
        this.clock = clock;
        this.sleeper = sleeper;
        this.terminal = terminal;
    }

    /** Clears the screen between frames only on a terminal that takes escape sequences (not TERM=dumb). */
    static Watch system(Duration interval, java.util.Map<String, String> env) {
        return new Watch(interval, Clock.systemDefaultZone(), d -> Thread.sleep(d.toMillis()),
                Tty.stdoutIsTerminal() && !Tty.dumbTerminal(env));
    }

    /** Draws frames until one is settled; returns how many it drew. */
    int run(PrintWriter out, String what, Supplier<Frame> frames) throws InterruptedException {
        int drawn = 0;
        while (true) {
            Frame f = frames.get(); // computed before the screen is cleared: no flicker
            if (terminal) {
                out.print(CLEAR);
            } else if (drawn > 0) {
                out.println();
            }
            String header = "Every " + Durations.format(interval) + ": " + what + "   "
                    + LocalDateTime.now(clock).format(TIME) + (f.settled() ? "   (nothing pending or running: done)" : "");
            if (header.length() <= f.width()) {
                out.println(header);
            } else { // by words: a terminal would break it mid-word
                new Screen(f.width(), Painter.PLAIN).wrap(header).forEach(l -> out.println(l.strip()));
            }
            out.println();
            out.print(f.text());
            out.flush();
            drawn++;
            if (f.settled()) {
                return drawn;
            }
            sleeper.sleep(interval);
        }
    }
}
