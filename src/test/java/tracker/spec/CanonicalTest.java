package tracker.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalTest {
    static final String BASE = """
            name: demo
            description: a test
            objective: {metric: accuracy, phase: val, goal: maximize}
            datasets: [iris, wine]
            models:
              mlp:
                datasets: [iris, wine]
                params:
                  lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}
                  batch: 3000000
                  l2: {distribution: uniform, min: 0, max: 1}
                  hidden: [32, 64]
            search: {method: random, trials: 4, replicates: 2, seed: 7}
            """;

    static String hash(String yaml) {
        return Canonical.hash(DefinitionParser.parse(yaml, "x.yaml"));
    }

    @Test
    void key_order_and_block_or_flow_style_do_not_change_the_hash() {
        String reordered = """
                search:
                  seed: 7
                  replicates: 2
                  trials: 4
                  method: random
                models:
                  mlp:
                    params:
                      hidden:
                        - 32
                        - 64
                      l2:
                        max: 1
                        min: 0
                        distribution: uniform
                      batch: 3000000
                      lr: {max: 0.1, min: 1.0e-4, distribution: log_uniform}
                    datasets: [wine, iris]
                datasets:
                  - wine
                  - iris
                objective:
                  goal: maximize
                  metric: accuracy
                  phase: val
                description: a test
                name: demo
                """;
        assertThat(hash(reordered)).isEqualTo(hash(BASE));
    }

    @Test
    void number_spellings_do_not_change_the_hash() {
        assertThat(hash(BASE.replace("min: 1.0e-4", "min: 0.0001"))).isEqualTo(hash(BASE));
        assertThat(hash(BASE.replace("max: 0.1}", "max: 1e-1}"))).isEqualTo(hash(BASE));
        assertThat(hash(BASE.replace("batch: 3000000", "batch: 3e6"))).isEqualTo(hash(BASE));
        assertThat(hash(BASE.replace("min: 0, max: 1}", "min: 0.0, max: 1.0}"))).as("1 vs 1.0 where the type is float")
                .isEqualTo(hash(BASE));
        assertThat(hash(BASE.replace("trials: 4", "trials: 4.0"))).isEqualTo(hash(BASE));
    }

    @Test
    void explicit_defaults_do_not_change_the_hash() {
        String minimal = BASE.replace("phase: val, ", "");
        String explicit = BASE + "runs: {lease: 10m, max_attempts: 3, priority: 0}\ntags: []\ncommand: ''\n";
        assertThat(hash(minimal)).isEqualTo(hash(BASE));
        assertThat(hash(explicit)).isEqualTo(hash(BASE));
        assertThat(hash(BASE.replace("seed: 7}", "seed: 7, grid_limit: 10000}"))).isEqualTo(hash(BASE));
        assertThat(hash(BASE + "runs: {lease: 600s}\n")).as("10m = 600s").isEqualTo(hash(BASE));
        assertThat(hash(BASE.replace("    datasets: [iris, wine]\n", "    datasets: [iris, wine]\n    priority: 0\n")))
                .isEqualTo(hash(BASE));
    }

    @Test
    void every_semantic_change_changes_the_hash() {
        String h = hash(BASE);
        String[][] changes = {
                {"name: demo", "name: demo2"},
                {"description: a test", "description: another"},
                {"goal: maximize", "goal: minimize"},
                {"phase: val", "phase: test"},
                {"metric: accuracy", "metric: loss"},
                {"min: 1.0e-4", "min: 1.0e-5"},
                {"log_uniform", "uniform"},
                {"batch: 3000000", "batch: 3000000.5"},
                {"batch: 3000000", "batch: '3000000'"},
                {"hidden: [32, 64]", "hidden: [64, 32]"},
                {"trials: 4", "trials: 5"},
                {"replicates: 2", "replicates: 3"},
                {"seed: 7", "seed: 8"},
                {"method: random", "method: quasi-random"},
                {"datasets: [iris, wine]\nmodels", "datasets: [iris, wine, digits]\nmodels"},
        };
        for (String[] c : changes) {
            assertThat(BASE).contains(c[0]);
            assertThat(hash(BASE.replace(c[0], c[1]))).as(c[0] + " -> " + c[1]).isNotEqualTo(h);
        }
        assertThat(hash(BASE + "runs: {lease: 20m}\n")).isNotEqualTo(h);
        assertThat(hash(BASE + "command: python t.py {args}\n")).isNotEqualTo(h);
        assertThat(hash(BASE + "tags: [x]\n")).isNotEqualTo(h);
    }

    static String resource(String path) {
        try (java.io.InputStream in = CanonicalTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void definitions_hashed_before_floats_were_written_python_style_keep_their_hash() {
        // floats.hash and floats.canonical.yaml are what tracker stored for floats.yaml when floats
        // were still written 1.0E-5 / 1.0e-5: the file and the stored form must hash to it still
        String stored = resource("/golden/stored/floats.hash").strip();
        Definition fromFile = DefinitionParser.parse(resource("/golden/stored/floats.yaml"), "floats.yaml");
        Definition fromStore = DefinitionParser.parse(resource("/golden/stored/floats.canonical.yaml"), "floats (stored)");
        assertThat(Canonical.hash(fromFile)).isEqualTo(stored);
        assertThat(Canonical.hash(fromStore)).isEqualTo(stored);
        assertThat(Canonical.diff(fromStore, fromFile)).isEmpty();
        String today = Canonical.yaml(fromFile);
        assertThat(today).contains("lr: {distribution: log_uniform, min: 1.0e-05, max: 0.1}")
                .contains("wd: {distribution: uniform, min: 0.000155187824512396, max: 0.01}")
                .contains("budget: 2.0e+16").contains("eps: 1.0e-08").doesNotContain("E");
        assertThat(Canonical.hash(DefinitionParser.parse(today, "today.yaml"))).isEqualTo(stored);
    }

    @Test
    void canonical_yaml_reads_back_to_the_same_definition() {
        for (String yaml : new String[] {BASE, BASE + "command: \"python t.py --x {{a}} {args} 'q'\"\n",
                BASE.replace("hidden: [32, 64]", "hidden: ['yes', 'null', '1e3', 'a: b', \"\"]")}) {
            Definition d = DefinitionParser.parse(yaml, "x.yaml");
            String canonical = Canonical.yaml(d);
            Definition back = DefinitionParser.parse(canonical, "canonical.yaml");
            assertThat(Canonical.hash(back)).as(canonical).isEqualTo(Canonical.hash(d));
            assertThat(Canonical.yaml(back)).isEqualTo(canonical);
        }
    }

    @Test
    void diff_names_each_changed_path() {
        Definition a = DefinitionParser.parse(BASE, "a.yaml");
        Definition b = DefinitionParser.parse(BASE.replace("trials: 4", "trials: 6").replace("max: 0.1}", "max: 0.5}"), "b.yaml");
        assertThat(Canonical.diff(a, b)).containsExactly(
                "  models.mlp.params.lr: {distribution: log_uniform, min: 0.0001, max: 0.1} -> {distribution: log_uniform, min: 0.0001, max: 0.5}",
                "  search.trials: 4 -> 6");
        assertThat(Canonical.diff(a, a)).isEmpty();
    }

    @Test
    void hashes_of_existing_definitions_never_change() throws java.io.IOException {
        // Taken before search.run_limit existed: stored experiments are found again by these.
        java.util.Map<String, String> pinned = java.util.Map.of(
                "experiments/grid-small.yaml", "867b69b0edf27edce0875032e50ec764af2c6b963132084d66f6acc5449f7349",
                "experiments/quasi-random-lr.yaml", "ab4e4c170a1c86b3c33b099aa103778e2177f3a714911c938ae985a74ed83508",
                "experiments/tabular-baselines.yaml", "c6a9579d1da86cbe13db746edb97c7c562facb8de1092d3e428142a2cd7d2761",
                "experiments/tabular/tabular.yaml", "1286f387b0e09146a7e97cff74b3bb3bc6f6cef290f5176e9d6b36720ac71601");
        pinned.forEach((file, hash) -> assertThat(Canonical.hash(DefinitionParser.parse(java.nio.file.Path.of(file)))).as(file).isEqualTo(hash));
    }

    @Test
    void the_run_limit_is_in_the_canonical_form_only_when_raised_or_lowered() {
        assertThat(hash(BASE.replace("seed: 7}", "seed: 7, run_limit: 1000000}"))).as("the default written out").isEqualTo(hash(BASE));
        assertThat(Canonical.yaml(DefinitionParser.parse(BASE, "x.yaml"))).doesNotContain("run_limit");
        String raised = BASE.replace("seed: 7}", "seed: 7, run_limit: 3e6}");
        assertThat(hash(raised)).isNotEqualTo(hash(BASE));
        Definition d = DefinitionParser.parse(raised, "x.yaml");
        assertThat(Canonical.yaml(d)).contains("run_limit: 3000000");
        assertThat(Canonical.hash(DefinitionParser.parse(Canonical.yaml(d), "canonical.yaml"))).isEqualTo(Canonical.hash(d));
        assertThat(Extension.refusals(DefinitionParser.parse(BASE, "a.yaml"), d)).as("extending may raise the bound").isEmpty();
    }
}
