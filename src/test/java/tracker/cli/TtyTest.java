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

    @Test
    void plots_use_unicode_unless_the_terminal_is_dumb_or_the_locale_is_not_utf8() {
        assertThat(Tty.unicode(Map.of())).as("no locale set: as tables always have").isTrue();
        assertThat(Tty.unicode(Map.of("LANG", "en_US.UTF-8"))).isTrue();
        assertThat(Tty.unicode(Map.of("LANG", "de_DE.utf8"))).isTrue();
        assertThat(Tty.unicode(Map.of("LANG", "C"))).isFalse();
        assertThat(Tty.unicode(Map.of("LC_ALL", "POSIX", "LANG", "en_US.UTF-8"))).as("LC_ALL comes first").isFalse();
        assertThat(Tty.unicode(Map.of("LC_CTYPE", "C.UTF-8", "LANG", "C"))).as("LC_CTYPE before LANG").isTrue();
        assertThat(Tty.unicode(Map.of("TERM", "dumb", "LANG", "en_US.UTF-8"))).isFalse();
    }

    @Test
    void the_colour_painter_gives_each_line_of_a_plot_a_colour_and_the_plain_one_none() {
        assertThat(Painter.PLAIN.colours()).isFalse();
        assertThat(Painter.PLAIN.series(0, false, "x")).isEqualTo("x");
        assertThat(Tty.ANSI_WITH_SERIES.colours()).isTrue();
        assertThat(Tty.ANSI_WITH_SERIES.series(0, false, "x")).contains("x").startsWith("\u001b[").endsWith("\u001b[0m");
        assertThat(Tty.ANSI_WITH_SERIES.series(0, false, "x")).isNotEqualTo(Tty.ANSI_WITH_SERIES.series(1, false, "x"));
        assertThat(Tty.ANSI_WITH_SERIES.series(0, true, "x")).as("faint for a band").isNotEqualTo(Tty.ANSI_WITH_SERIES.series(0, false, "x"));
        assertThat(Tty.ANSI_WITH_SERIES.paint(Painter.Mark.BEST, "x")).isEqualTo(Tty.ANSI.paint(Painter.Mark.BEST, "x"));
    }
}
