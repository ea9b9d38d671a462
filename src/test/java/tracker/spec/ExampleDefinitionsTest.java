package tracker.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tracker.plan.Plan;

/** Every example in experiments/ is a valid definition with a plan. */
class ExampleDefinitionsTest {
    @Test
    void the_example_in_the_documentation_is_valid() throws IOException {
        String doc = Files.readString(Path.of("docs/definitions.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        Definition d = DefinitionParser.parse(doc.substring(start, doc.indexOf("```", start)), "docs/definitions.md");
        assertThat(d.models().get("mlp").datasets()).containsExactly("breast_cancer", "digits", "iris", "wine");
        assertThat(d.datasets().get("digits").attributes()).containsEntry("path", "data/digits.csv");
        assertThat(Plan.of(d).runs()).hasSize((4 + 4) * 4 * 2);
    }

    @Test
    void every_example_definition_is_valid_and_plans_runs() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("experiments"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !isKubernetesManifest(p))
                    .sorted().toList();
        }
        // Parts of definitions (experiments/program/parts) are included by the others, not created alone.
        List<Path> parts = files.stream().filter(p -> p.getParent().getFileName().toString().equals("parts")).toList();
        assertThat(parts).isNotEmpty();
        files = files.stream().filter(p -> !parts.contains(p)).toList();
        for (Path part : parts) {
            String name = part.getFileName().toString();
            assertThat(files).as(part + " is included by an example").anyMatch(f -> read(f).contains("parts/" + name));
        }
        assertThat(files).contains(Path.of("experiments/tabular/tabular.yaml"), Path.of("experiments/tabular-baselines.yaml"),
                Path.of("experiments/conditional.yaml"));
        for (Path f : files) {
            Definition d = DefinitionParser.parse(f);
            Plan plan = Plan.of(d);
            assertThat(plan.runs()).as(f.toString()).isNotEmpty();
            assertThat(DefinitionParser.parse(Canonical.yaml(d), f + " (canonical)")).isEqualTo(d);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void the_program_variants_are_the_base_with_one_change_each() {
        Definition base = DefinitionParser.parse(Path.of("experiments/program/base.yaml"));
        Definition wide = DefinitionParser.parse(Path.of("experiments/program/wide.yaml"));
        Definition noL2 = DefinitionParser.parse(Path.of("experiments/program/no-l2.yaml"));
        Definition longer = DefinitionParser.parse(Path.of("experiments/program/longer.yaml"));
        assertThat(base.models().get("mlp").params().get("lr")).isEqualTo(new Space.LogUniform(3e-4, 3e-2, null));
        assertThat(base.models().get("softmax").params().get("lr")).isEqualTo(new Space.LogUniform(1e-3, 0.3, null));
        assertThat(Canonical.diff(base, wide)).containsExactlyInAnyOrder("  name: program-base -> program-wide",
                "  models.mlp.params.hidden: {distribution: categorical, values: [16, 32, 64]} -> {distribution: categorical, values: [128, 256]}");
        assertThat(noL2.models().get("softmax").params()).doesNotContainKey("l2");
        assertThat(noL2.models().get("softmax").datasets()).containsExactly("breast_cancer", "iris", "wine");
        assertThat(longer.models().values()).allSatisfy(m -> assertThat(m.params().get("epochs")).isEqualTo(new Space.Constant(40L)));
    }

    @Test
    void the_conditional_example_plans_its_deduplicated_grid() {
        Definition d = DefinitionParser.parse(Path.of("experiments/conditional.yaml"));
        // sgd: momentum 2 x nesterov 2; adam and adamw: 1 each (beta2 is a constant)
        assertThat(Plan.of(d).runs()).hasSize(6 * 2 * 2);
        assertThat(Plan.of(d).runs()).allSatisfy(r -> assertThat(r.params().containsKey("momentum"))
                .isEqualTo(r.params().get("optimizer").equals("sgd")));
    }

    /** experiments/ also holds cluster examples such as tabular/k8s-job.yaml, which are no definitions. */
    private static boolean isKubernetesManifest(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("apiVersion:"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
