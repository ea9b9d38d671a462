package tracker.report.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The critical-difference diagram as text and SVG, compared with src/test/resources/golden/stats/.
 * After a deliberate change, {@code mvn test -Dtest=CdDiagramTest -Dgolden.update=true} rewrites
 * the files; review the diff.
 */
class CdDiagramTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/stats");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** Demšar's four C4.5 variants: one clique at 0.05, two at 0.10. */
    static CdDiagram demsar(double alpha) {
        AverageRanks ranks = AverageRanks.of(Demsar2006.AUC, true);
        return CdDiagram.of(List.of(Demsar2006.MODELS), ranks, Nemenyi.of(ranks, alpha));
    }

    /** Twelve models with realistic long names on 20 datasets: ranks spread out, several cliques, a tie. */
    static CdDiagram twelve() {
        List<String> names = List.of("resnet50_pretrained_finetune", "vit_base_patch16_224_in21k", "xgboost", "lightgbm",
                "catboost", "random_forest", "logistic_regression", "mlp_2x256", "tabnet", "ft_transformer", "knn_k15", "svm_rbf");
        double[] ranks = {2.1, 2.45, 3.9, 4.0, 4.0, 5.75, 8.2, 6.6, 7.9, 5.1, 10.3, 9.7};
        Nemenyi n = Nemenyi.of(12, 20, 0.05);
        return new CdDiagram(names, ranks, n.criticalDifference(), 0.05, Clique.of(ranks, n.criticalDifference()), 20);
    }

    record Case(String file, int width, Supplier<String> output) {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("cd-demsar-80.txt", 80, () -> CdDiagramText.render(demsar(0.05), 80, true)));
        cases.add(new Case("cd-demsar-ascii-80.txt", 80, () -> CdDiagramText.render(demsar(0.05), 80, false)));
        cases.add(new Case("cd-demsar-alpha10-120.txt", 120, () -> CdDiagramText.render(demsar(0.10), 120, true)));
        cases.add(new Case("cd-demsar-40.txt", 40, () -> CdDiagramText.render(demsar(0.10), 40, true)));
        cases.add(new Case("cd-twelve-80.txt", 80, () -> CdDiagramText.render(twelve(), 80, true)));
        cases.add(new Case("cd-twelve-ascii-60.txt", 60, () -> CdDiagramText.render(twelve(), 60, false)));
        cases.add(new Case("cd-demsar.svg", Integer.MAX_VALUE, () -> CdDiagramSvg.render(demsar(0.10))));
        cases.add(new Case("cd-twelve.svg", Integer.MAX_VALUE, () -> CdDiagramSvg.render(twelve())));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> every_diagram_matches_its_golden_file() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            String out = c.output().get();
            for (String line : out.split("\n")) {
                assertThat(line.codePointCount(0, line.length())).as("a line wider than " + c.width() + " columns:\n" + out)
                        .isLessThanOrEqualTo(c.width());
            }
            assertThat(c.output().get()).as("deterministic").isEqualTo(out);
            Path file = GOLDEN.resolve(c.file());
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, out);
                return;
            }
            assertThat(file).as("missing golden file: run mvn test -Dtest=CdDiagramTest -Dgolden.update=true").exists();
            assertThat(out).as(c.file() + " differs (after a deliberate change: -Dgolden.update=true, then review the diff)")
                    .isEqualTo(Files.readString(file));
        }));
    }

    @Test
    void ascii_output_holds_only_ascii() {
        for (CdDiagram d : List.of(demsar(0.05), demsar(0.10), twelve())) {
            assertThat(CdDiagramText.render(d, 80, false).chars()).allMatch(c -> c < 128);
        }
    }

    @Test
    void each_model_appears_once_with_its_rank_and_a_clique_is_drawn_per_group() {
        String text = CdDiagramText.render(demsar(0.10), 100, true);
        assertThat(text).contains("C4.5+m+cf  1.96", "C4.5+m     2.00", "C4.5+cf    2.89", "C4.5       3.14", "CD = 1.12");
        assertThat(text.lines().filter(l -> l.contains("━"))).hasSize(2);
    }

    @Test
    void narrow_terminals_shorten_the_names_before_the_axis() {
        String text = CdDiagramText.render(twelve(), 50, true);
        assertThat(text).contains("resnet50_pretrai…   2.10 ").doesNotContain("resnet50_pretrained_finetune");
        assertThat(text.lines().mapToInt(l -> l.codePointCount(0, l.length())).max().orElseThrow()).isLessThanOrEqualTo(50);
        // below what an axis of 2 columns per model needs, the lines grow past the width rather than lose the axis
        assertThat(CdDiagramText.render(twelve(), 20, false)).contains("res~   2.10 ", "+-+-+-+-+-+-+-+-+-+-+-+");
    }

    @Test
    void svg_is_well_formed_standalone_and_escapes_names() throws Exception {
        List<String> names = List.of("a<b & \"c\"", "d'e>", "plain\u0007bell");
        CdDiagram d = new CdDiagram(names, new double[] {1.5, 1.5, 3}, 2.5, 0.05, Clique.of(new double[] {1.5, 1.5, 3}, 2.5), 3);
        String svg = CdDiagramSvg.render(d);
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList texts = doc.getElementsByTagName("text");
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            contents.add(texts.item(i).getTextContent());
        }
        assertThat(contents).contains("a<b & \"c\" 1.50", "d'e> 1.50", "3.00 plain?bell", "CD = 2.50", "1", "2", "3");
        assertThat(svg).doesNotContain("href", "<script", "<style", "@import", "url(");
        assertThat(doc.getDocumentElement().getAttribute("width")).isNotEmpty();
        for (Case c : cases()) {
            if (c.file().endsWith(".svg")) {
                parse(c.output().get());
            }
        }
    }

    @Test
    void a_diagram_needs_a_name_for_every_rank_within_the_axis() {
        assertThatThrownBy(() -> new CdDiagram(List.of("a"), new double[] {1}, 1, 0.05, List.of(), 3))
                .hasMessageContaining("at least two models");
        assertThatThrownBy(() -> new CdDiagram(List.of("a", "b"), new double[] {1, 3}, 1, 0.05, List.of(), 3))
                .hasMessageContaining("average rank 3.0 is outside 1..2");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

}
