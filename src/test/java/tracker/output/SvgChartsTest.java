package tracker.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgChartsTest {
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void names_with_markup_characters_are_escaped_and_the_document_parses() throws Exception {
        String hostile = "<b>&amp;\"quoted\" 'x' ]]> \u0001";
        Chart c = new Chart(hostile, "epoch", hostile, "min..max", List.of(new Chart.Line(hostile, hostile,
                List.of(new Chart.Point(1, 0.5, 0.4, 0.6), new Chart.Point(2, 0.6, 0.5, 0.7)))), List.of(new Chart.Marker(2, hostile)));
        String svg = SvgCharts.document(hostile, hostile, List.of(c));
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).startsWith("<b>&amp;\"quoted\" 'x' ]]>");
        assertThat(svg).doesNotContain("<b>").contains("&lt;b&gt;&amp;amp;&quot;quoted&quot; &apos;x&apos; ]]&gt;");
    }

    @Test
    void a_band_is_a_polygon_a_line_a_polyline_and_gaps_split_them() throws Exception {
        Chart c = new Chart("t", "epoch", "acc", "min..max", List.of(new Chart.Line("a", "", List.of(new Chart.Point(1, 0.5, 0.4, 0.6),
                new Chart.Point(2, 0.6, 0.5, 0.7), Chart.Point.of(3, Double.NaN), new Chart.Point(4, 0.7, 0.6, 0.8),
                new Chart.Point(5, 0.8, 0.7, 0.9)))), List.of());
        Document doc = parse(SvgCharts.document("t", "s", List.of(c)));
        assertThat(doc.getElementsByTagName("polygon").getLength()).isEqualTo(2);
        // two pieces of the line, and the axes
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(3);
    }

    @Test
    void several_panels_stack_and_an_empty_one_says_so() throws Exception {
        Chart empty = new Chart("nothing", "epoch", "", null, List.of(), List.of());
        Chart one = new Chart("one", "epoch", "acc", null, List.of(new Chart.Line("a", "", List.of(Chart.Point.of(1, 1)))), List.of());
        String svg = SvgCharts.document("t", "s", List.of(empty, one));
        Document doc = parse(svg);
        assertThat(doc.getElementsByTagName("g").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(1); // a point alone is a dot
        assertThat(svg).contains("no values to plot");
    }

    @Test
    void long_subtitles_wrap_onto_lines() {
        assertThat(SvgCharts.wrap("aaa bbb ccc", 7)).containsExactly("aaa bbb", "ccc");
        assertThat(SvgCharts.wrap("", 7)).containsExactly("");
    }
}
