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
        assertThat(files).contains(Path.of("experiments/tabular/tabular.yaml"), Path.of("experiments/tabular-baselines.yaml"),
                Path.of("experiments/conditional.yaml"));
        for (Path f : files) {
            Definition d = DefinitionParser.parse(f);
            Plan plan = Plan.of(d);
            assertThat(plan.runs()).as(f.toString()).isNotEmpty();
            assertThat(DefinitionParser.parse(Canonical.yaml(d), f + " (canonical)")).isEqualTo(d);
        }
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
