package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import tracker.output.Painter;

class TtyTest {
    @Test
    void colour_only_on_a_terminal_that_takes_it_and_when_nobody_said_no() {
        assertThat(Tty.colourAllowed(Map.of("TERM", "xterm-256color"), true)).isTrue();
        assertThat(Tty.colourAllowed(Map.of(), true)).isTrue();
        assertThat(Tty.colourAllowed(Map.of("TERM", "dumb"), true)).as("TERM=dumb").isFalse();
        assertThat(Tty.colourAllowed(Map.of("NO_COLOR", "1"), true)).as("NO_COLOR").isFalse();
        assertThat(Tty.colourAllowed(Map.of("NO_COLOR", ""), true)).as("NO_COLOR empty: no-color.org says it does not count").isTrue();
        assertThat(Tty.colourAllowed(Map.of("TERM", "xterm"), false)).as("not a terminal").isFalse();
        assertThat(Tty.painter(false, Map.of("TERM", "dumb"))).isSameAs(Painter.PLAIN);
    }
}
