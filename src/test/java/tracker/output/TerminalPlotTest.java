package tracker.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TerminalPlotTest {
    /** Colours as visible tags: {@code <0>text</0>}, faint {@code <0~>}. */
    static final Painter TAGS = new Painter() {
        @Override
        public String paint(Mark mark, String text) {
            return text;
        }

        @Override
        public boolean colours() {
            return true;
        }

        @Override
        public String series(int index, boolean faint, String text) {
            return "<" + index + (faint ? "~" : "") + ">" + text + "</" + index + ">";
        }
    };

    static Chart chart() {
        return new Chart("t", "epoch", "val.acc", "min..max", List.of(
                new Chart.Line("mlp", "trial 0", List.of(new Chart.Point(1, 0.5, 0.4, 0.6), new Chart.Point(2, 0.7, 0.6, 0.8),
                        new Chart.Point(3, 0.9, 0.85, 0.95))),
                new Chart.Line("mnist-net", "trial 1", List.of(Chart.Point.of(1, 0.2), Chart.Point.of(2, Double.NaN),
                        Chart.Point.of(3, 0.3)))),
                List.of(new Chart.Marker(2, "chosen")));
    }

    @Test
    void letters_are_distinct_and_come_from_the_names_where_they_can() {
        assertThat(TerminalPlot.letters(List.of("mlp", "mnist", "softmax", "svm", "s"))).containsExactly('M', 'N', 'S', 'V', 'A');
        assertThat(TerminalPlot.letters(List.of("_", "-"))).containsExactly('A', 'B');
    }

    @Test
    void without_colour_lines_are_letters_and_every_line_fits_the_width() {
        List<String> lines = TerminalPlot.render(chart(), 40, 10, TerminalPlot.Glyphs.UNICODE, Painter.PLAIN);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        String all = String.join("\n", lines);
        assertThat(all).contains("M").contains("N").contains("░").contains("┊").doesNotContain("\u001b");
        assertThat(all).contains("M mlp  trial 0").contains("N mnist-net  trial 1").contains("░ min..max").contains("┊ chosen");
        assertThat(all.chars().noneMatch(c -> c >= 0x2800 && c <= 0x28ff)).as("no braille without colour").isTrue();
        // y label, rows, axis, tick labels, the axis name (no room beside the labels), blank, legend x2, band, marker
        assertThat(lines).hasSize(1 + 10 + 1 + 1 + 1 + 1 + 4);
    }

    @Test
    void with_colour_lines_are_braille_in_their_colour_and_bands_faint() {
        String all = String.join("\n", TerminalPlot.render(chart(), 60, 12, TerminalPlot.Glyphs.UNICODE, TAGS));
        assertThat(all.chars().anyMatch(c -> c > 0x2800 && c <= 0x28ff)).as("braille dots").isTrue();
        assertThat(all).contains("<0>").contains("<1>").contains("<0~>░").doesNotContain("<1~>"); // the second line has no band
        assertThat(all).contains("<0>──</0> mlp");
    }

    @Test
    void ascii_glyphs_are_ascii_only() {
        String all = String.join("\n", TerminalPlot.render(chart(), 50, 8, TerminalPlot.Glyphs.ASCII, Painter.PLAIN));
        assertThat(all.chars().allMatch(c -> c < 128)).as(all).isTrue();
        assertThat(all).contains("+").contains("|").contains(". min..max").contains(": chosen");
    }

    @Test
    void a_chart_without_values_says_so_and_still_has_its_legend() {
        Chart empty = new Chart("t", "epoch", "loss", null, List.of(new Chart.Line("a", "none yet", List.of())), List.of());
        assertThat(TerminalPlot.render(empty, 40, 8, TerminalPlot.Glyphs.UNICODE, Painter.PLAIN))
                .containsExactly("(no values to plot)", "", "A a  none yet");
    }

    @Test
    void one_point_alone_is_drawn() {
        Chart one = new Chart("t", "epoch", "acc", null, List.of(new Chart.Line("a", "", List.of(Chart.Point.of(3, 0.5)))), List.of());
        assertThat(String.join("\n", TerminalPlot.render(one, 30, 6, TerminalPlot.Glyphs.UNICODE, Painter.PLAIN))).contains("A");
    }

    @Test
    void ticks_are_round_and_cover_the_values() {
        assertThat(Chart.ticks(new Chart.Range(0.21, 0.93), 4)).containsExactly(0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(Chart.ticks(new Chart.Range(0.1, 0.3), 4)).containsExactly(0.1, 0.15, 0.2, 0.25, 0.3);
        assertThat(Chart.ticks(new Chart.Range(5, 5), 4)).first().satisfies(t -> assertThat(t).isLessThan(5));
        assertThat(Chart.tickText(0.8, List.of(0.75, 0.8))).isEqualTo("0.80");
        assertThat(Chart.tickText(10, List.of(5.0, 10.0))).isEqualTo("10");
        assertThat(chart().xTicks(5)).containsExactly(1.0, 2.0, 3.0);
    }
}
