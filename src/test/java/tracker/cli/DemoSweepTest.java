package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * The README's main job on a reduced budget: the demo definition (experiments/tabular/tabular.yaml)
 * with one setting and one seed per cell, run by `tracker run --parallel 2` with the real trainer
 * (java experiments/tabular/Train.java), then the report matrix.
 */
class DemoSweepTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void the_demo_sweep_trains_every_model_on_every_dataset_and_reports_the_matrix() throws Exception {
        String definition = Files.readString(Path.of("experiments/tabular/tabular.yaml"));
        assertThat(definition).contains("name: tabular\n").containsPattern("search: \\{method: random, trials: \\d+, replicates: \\d+, seed: 7\\}");
        String name = "demo-" + System.nanoTime();
        Path reduced = tmp.resolve("tabular-reduced.yaml");
        Files.writeString(reduced, definition.replace("name: tabular\n", "name: " + name + "\n")
                .replaceAll("search: \\{method: random, trials: \\d+, replicates: \\d+, seed: 7\\}",
                        "search: {method: random, trials: 1, replicates: 1, seed: 7}"));
        CliRun cli = CliRun.in(tmp).database(DB);
        CliRun.Result created = cli.run("create", reduced.toString());
        assertThat(created.code()).as(created.toString()).isZero();

        CliRun.Result run = cli.run("run", "-e", name, "--parallel", "2");
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.err()).contains("12 runs (12 completed)");

        CliRun.Result report = cli.run("report", "-e", name, "-o", "csv");
        assertThat(report.code()).as(report.toString()).isZero();
        List<String> rows = report.out().lines().skip(1).toList();
        assertThat(rows).hasSize(12);
        for (String row : rows) {
            String[] f = row.split(",");
            double accuracy = Double.parseDouble(f[2]);
            // Real models on real data: far above chance (at most 1/2 here) on every dataset.
            assertThat(accuracy).as(row).isBetween(0.75, 1.0);
        }
        CliRun.Result table = cli.run("report", "-e", name);
        assertThat(table.out()).contains("softmax").contains("mlp").contains("knn").contains("digits").contains("AVG RANK");
    }
}
