package tracker.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.ExitCode;

class DefinitionParserTest {
    static final String BASE = """
            name: demo
            objective: {metric: accuracy, goal: maximize}
            datasets: [iris, wine]
            models:
              mlp:
                datasets: [iris, wine]
                params:
                  lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
                  hidden: [32, 64]
                  epochs: 30
            """;

    /** Generous for a loaded 2-core machine running test classes side by side; what these refuse once took minutes. */
    static final Duration QUICKLY = Duration.ofSeconds(5);

    static Definition parse(String yaml) {
        return DefinitionParser.parse(yaml, "exp.yaml");
    }

    static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (DefinitionException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void a_minimal_definition_gets_the_defaults() {
        Definition d = parse(BASE);
        assertThat(d.name()).isEqualTo("demo");
        assertThat(d.objective().phase()).isEqualTo("val");
        assertThat(d.search().method()).isEqualTo(Definition.Method.random);
        assertThat(d.search().trials()).isEqualTo(1);
        assertThat(d.search().replicates()).isEqualTo(1);
        assertThat(d.runs().lease()).hasMinutes(10);
        assertThat(d.runs().maxAttempts()).isEqualTo(3);
        assertThat(d.models().get("mlp").params().get("epochs")).isEqualTo(new Space.Constant(30L));
        assertThat(d.models().get("mlp").params().get("hidden")).isEqualTo(new Space.Categorical(List.of(32L, 64L)));
        assertThat(d.models().get("mlp").params().get("lr")).isEqualTo(new Space.LogUniform(1e-4, 0.1, null));
        assertThat(d.cells()).hasSize(2);
    }

    @Test
    void suites_may_sit_under_datasets_or_at_the_top_and_models_combine_them() {
        Definition d = parse("""
                name: s
                objective: {metric: acc, goal: maximize}
                datasets:
                  suites:
                    small: [iris, {name: wine, path: data/wine.csv, task: classification}]
                  digits: {path: data/digits.csv}
                suites:
                  images: [digits]
                models:
                  a: {suites: [small]}
                  b: {suites: [small, images], datasets: [iris]}
                """);
        assertThat(d.datasets()).containsOnlyKeys("digits", "iris", "wine");
        assertThat(d.datasets().get("wine").attributes()).containsEntry("path", "data/wine.csv").containsEntry("task", "classification");
        assertThat(d.models().get("a").datasets()).containsExactly("iris", "wine");
        assertThat(d.models().get("b").datasets()).containsExactly("digits", "iris", "wine");
    }

    @Test
    void unknown_keys_are_located_with_a_near_miss() {
        assertThat(problems(BASE + "serach: {trials: 3}\n"))
                .containsExactly("exp.yaml:11:1: unknown key 'serach' in the definition (did you mean 'search'?)");
        assertThat(problems(BASE.replace("goal: maximize", "goal: maximize, phaze: val")))
                .containsExactly("exp.yaml:2:47: unknown key 'phaze' in objective (did you mean 'phase'?)");
        assertThat(problems(BASE.replace("{distribution: log_uniform,", "{distribtion: log_uniform,")).get(0))
                .contains("unknown key 'distribtion'").contains("did you mean 'distribution'?");
    }

    @Test
    void wrong_types_say_what_was_expected() {
        assertThat(problems(BASE + "search: {trials: many}\n"))
                .containsExactly("exp.yaml:11:18: search.trials must be a whole number, not a string ('many')");
        assertThat(problems(BASE + "search: {trials: 2.5}\n")).containsExactly("exp.yaml:11:18: search.trials must be a whole number, not 2.5");
        assertThat(problems(BASE + "search: {replicates: 0}\n")).containsExactly("exp.yaml:11:22: search.replicates must be at least 1, not 0");
        assertThat(problems(BASE.replace("models:", "models: 3\nx:"))).anyMatch(p -> p.startsWith("exp.yaml:4:9: models must be a mapping"));
        assertThat(problems(BASE + "runs: {lease: soon}\n")).containsExactly("exp.yaml:11:15: runs.lease must be a duration such as 90s, 10m or 2h, not 'soon'");
        assertThat(problems(BASE.replace("goal: maximize", "goal: maximise")))
                .containsExactly("exp.yaml:2:37: objective.goal must be one of maximize, minimize, not 'maximise' (did you mean 'maximize'?)");
    }

    @Test
    void ranges_must_make_sense() {
        assertThat(problems(BASE.replace("min: 1.0e-4, max: 1.0e-1", "min: 0.5, max: 0.1")))
                .containsExactly("exp.yaml:8:44: mlp.lr: min (0.5) is greater than max (0.1)");
        assertThat(problems(BASE.replace("min: 1.0e-4", "min: 0")))
                .containsExactly("exp.yaml:8:44: mlp.lr.min must be greater than 0 on a log scale, not 0");
        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}",
                "{distribution: q_uniform, min: 0, max: 1, q: 0}")))
                .containsExactly("exp.yaml:8:56: mlp.lr.q must be greater than 0, not 0");
        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}",
                "{distribution: normal, mu: 0, sigma: -1}")))
                .containsExactly("exp.yaml:8:48: mlp.lr.sigma must be greater than 0, not -1");
        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}",
                "{distribution: uniform, min: 0}")).get(0)).contains("a uniform distribution needs 'max'");
        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}",
                "{distribution: normal, mu: 0, sigma: 1, min: 2}")).get(0)).contains("'min' does not apply to a normal distribution");
        assertThat(problems(BASE.replace("hidden: [32, 64]", "hidden: []")).get(0)).contains("mlp.hidden is an empty list");
        assertThat(problems(BASE.replace("{distribution: log_uniform,", "{distribution: logarithmic,")).get(0))
                .contains("mlp.lr.distribution must be one of uniform, log_uniform");
    }

    @Test
    void int_uniform_may_be_log_scaled() {
        String logInt = "{distribution: int_uniform, min: 8, max: 1024, log: true}";
        Definition d = parse(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", logInt));
        assertThat(d.models().get("mlp").params().get("lr")).isEqualTo(new Space.IntUniform(8, 1024, true));
        assertThat(Canonical.yaml(d)).contains("lr: {distribution: int_uniform, min: 8, max: 1024, log: true}");
        String plain = BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", "{distribution: int_uniform, min: 8, max: 1024}");
        assertThat(Canonical.hash(parse(plain.replace("max: 1024}", "max: 1024, log: false}")))).as("log: false is the default")
                .isEqualTo(Canonical.hash(parse(plain)));
        assertThat(Canonical.hash(d)).isNotEqualTo(Canonical.hash(parse(plain)));

        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", logInt.replace("min: 8", "min: 0"))))
                .containsExactly("exp.yaml:8:44: mlp.lr.min must be at least 1 for an int_uniform with log: true, not 0");
        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", logInt.replace("true", "yes"))))
                .containsExactly("exp.yaml:8:63: mlp.lr.log must be true or false, not a string ('yes')");
        assertThat(problems(BASE.replace("max: 1.0e-1}", "max: 1.0e-1, log: true}")))
                .containsExactly("exp.yaml:8:65: mlp.lr: 'log' does not apply to a log_uniform distribution");
    }

    @Test
    void suites_must_exist_and_not_be_empty() {
        String withSuites = BASE.replace("datasets: [iris, wine]\nmodels", "datasets:\n  suites: {small: [iris, wine], none: []}\nmodels")
                .replace("    datasets: [iris, wine]", "    suites: [smal]");
        List<String> p = problems(withSuites);
        assertThat(p).anyMatch(s -> s.contains("suite 'none' is empty"));
        assertThat(p).anyMatch(s -> s.contains("model 'mlp' names suite 'smal', which is not defined (did you mean 'small'?)"));
    }

    @Test
    void duplicate_names_are_refused() {
        assertThat(problems(BASE + "name: again\n")).containsExactly("exp.yaml:11:1: duplicate key 'name' (first at 1:1)");
        assertThat(problems(BASE.replace("datasets: [iris, wine]\nmodels", "datasets: [iris, wine, iris]\nmodels")))
                .containsExactly("exp.yaml:3:24: dataset 'iris' is listed twice");
        assertThat(problems(BASE.replace("hidden: [32, 64]", "hidden: [32, 64, 32]")).get(0)).contains("the value 32 is listed twice");
        assertThat(problems(BASE.replace("datasets: [iris, wine]\nmodels",
                "datasets:\n  suites: {s: [iris, wine]}\nsuites: {s: [iris]}\nmodels")).get(0)).contains("suite 's' is defined twice");
    }

    @Test
    void a_model_must_run_on_some_dataset() {
        assertThat(problems(BASE.replace("    datasets: [iris, wine]\n", "")))
                .containsExactly("exp.yaml:5:3: model 'mlp' runs on no datasets: add suites: [...] or datasets: [...]");
        assertThat(problems(BASE.replace("    datasets: [iris, wine]\n", "    datasets: [iris, wnie]\n")))
                .containsExactly("exp.yaml:6:22: model 'mlp' names dataset 'wnie', which is not defined (did you mean 'wine'?)");
    }

    @Test
    void a_grid_larger_than_the_limit_is_refused() {
        String grid = BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", "{distribution: int_uniform, min: 1, max: 100}");
        assertThat(parse(grid + "search: {method: grid}\n").search().trials()).isNull();
        assertThat(problems(grid + "search: {method: grid, grid_limit: 150}\n"))
                .containsExactly("exp.yaml:11:9: the grid of model 'mlp' has 200 settings, more than search.grid_limit (150): "
                        + "cap it with search.trials, shrink the space, or raise grid_limit");
        assertThat(problems(BASE + "search: {method: grid}\n").get(0))
                .contains("grid search cannot enumerate mlp.lr (log_uniform)").contains("points: N");
        assertThat(parse(BASE.replace("max: 1.0e-1}", "max: 1.0e-1, points: 4}") + "search: {method: grid}\n").search().method())
                .isEqualTo(Definition.Method.grid);
    }

    @Test
    void the_command_may_only_name_known_placeholders() {
        assertThat(parse(BASE + "command: python train.py --lr {param.lr} --seed {seed} {args} --x {{literal}}\n").command())
                .isEqualTo("python train.py --lr {param.lr} --seed {seed} {args} --x {{literal}}");
        assertThat(problems(BASE + "command: python train.py {modle}\n").get(0))
                .startsWith("exp.yaml:11:10: command: unknown placeholder {modle} (did you mean {model}?)");
        assertThat(problems(BASE + "command: python train.py --depth {param.depth}\n"))
                .containsExactly("exp.yaml:11:10: command: {param.depth}: model 'mlp' has no parameter 'depth'");
        assertThat(problems(BASE + "command: python train.py {dataset.path}\n"))
                .containsExactly("exp.yaml:11:10: command: {dataset.path}: dataset 'iris' (of model 'mlp') has no attribute 'path'");
        assertThat(problems(BASE + "command: python train.py {model\n").get(0)).contains("is never closed");
    }

    @Test
    void every_problem_is_reported_at_once() {
        List<String> p = problems("""
                name: bad name!
                objective: {metric: acc}
                datasets: [iris]
                models:
                  m: {datasets: [iris], params: {lr: {distribution: uniform, min: 2, max: 1}}}
                search: {method: grid, trials: 0}
                """);
        assertThat(p).hasSizeGreaterThanOrEqualTo(4);
        assertThat(String.join("\n", p)).contains("exp.yaml:1:7: name 'bad name!' is not a valid name")
                .contains("exp.yaml:2:12: missing 'goal'")
                .contains("m.lr: min (2) is greater than max (1)")
                .contains("search.trials must be at least 1");
    }

    @Test
    void syntax_errors_and_empty_files_are_located() {
        assertThat(problems("name: [unclosed\n").get(0)).startsWith("exp.yaml:2:1: not valid YAML");
        assertThat(problems("")).containsExactly("exp.yaml:1:1: the file is empty: a definition needs at least name, objective, datasets and models");
        assertThat(problems("- a list\n").get(0)).contains("the definition must be a mapping");
    }

    @Test
    void an_unreadable_file_is_invalid_input() {
        assertThatThrownBy(() -> DefinitionParser.parse(java.nio.file.Path.of("/nonexistent/exp.yaml")))
                .hasMessageContaining("cannot read /nonexistent/exp.yaml");
    }

    @Test
    void numbers_too_large_for_their_field_are_refused_as_too_large() {
        assertThat(problems(BASE + "search: {trials: 1000000000000}\n"))
                .containsExactly("exp.yaml:11:18: search.trials is too large: 1000000000000 (at most 2147483647)");
        assertThat(problems(BASE + "search: {replicates: 1e20}\n")).containsExactly("exp.yaml:11:22: search.replicates is too large: 1e20");
        assertThat(problems(BASE + "search: {seed: 123456789012345678901234567890}\n")).containsExactly(
                "exp.yaml:11:16: search.seed is too large: 123456789012345678901234567890");
        assertThat(problems(BASE + "runs: {priority: 99999999999}\n"))
                .containsExactly("exp.yaml:11:18: runs.priority is too large: 99999999999 (at most 2147483647)");
        assertThat(problems(BASE + "runs: {priority: -2147483648}\n"))
                .containsExactly("exp.yaml:11:18: runs.priority must be at least -2147483647, not -2147483648");
        assertThat(problems(BASE.replace("    datasets: [iris, wine]\n", "    datasets: [iris, wine]\n    priority: 1e10\n")).get(0))
                .contains("priority of model 'mlp' is too large");
        assertThat(problems(BASE + "runs: {lease: 100000d}\n").get(0)).startsWith("exp.yaml:11:15: runs.lease is too large: at most 365d");
        assertThat(problems(BASE + "search: {trials: 0}\n")).containsExactly("exp.yaml:11:18: search.trials must be at least 1, not 0");
    }

    @Test
    void a_plan_larger_than_the_run_limit_is_refused_from_its_numbers_before_anything_is_planned() {
        long start = System.nanoTime();
        assertThat(problems(BASE + "search: {trials: 1000000000, replicates: 1000000000}\n")).containsExactly(
                "exp.yaml:11:9: the definition plans 2,000,000,000,000,000,000 runs, more than search.run_limit (1,000,000): "
                        + "lower search.trials, search.replicates or the models and datasets, or raise run_limit if you mean it");
        assertThat(problems(BASE + "search: {trials: 500001}\n").get(0)).contains("plans 1,000,002 runs");
        assertThat(parse(BASE + "search: {trials: 500000}\n").search().runLimit()).isEqualTo(DefinitionParser.DEFAULT_RUN_LIMIT);
        assertThat(parse(BASE + "search: {trials: 500001, run_limit: 2000000}\n").search().runLimit()).isEqualTo(2_000_000);
        assertThat(problems(BASE + "search: {trials: 3, run_limit: 5}\n").get(0)).contains("plans 6 runs, more than search.run_limit (5)");
        String grid = BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", "{distribution: int_uniform, min: 1, max: 1000}");
        assertThat(problems(grid + "search: {method: grid, replicates: 1000, grid_limit: 100000}\n").get(0))
                .as("a grid counts its settings, capped by trials").contains("plans 4,000,000 runs");
        assertThat(parse(grid + "search: {method: grid, trials: 10, replicates: 1000, grid_limit: 100000}\n").search().trials()).isEqualTo(10);
        assertThat(problems(BASE + "search: {run_limit: 0}\n")).containsExactly("exp.yaml:11:21: search.run_limit must be at least 1, not 0");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUICKLY);
    }

    @Test
    void a_huge_grid_is_measured_not_listed() {
        String wide = BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", "{distribution: q_uniform, min: 0, max: 1e12, q: 0.001}");
        long start = System.nanoTime();
        assertThat(problems(wide + "search: {method: grid}\n").get(0)).contains("has 2000000000000002 settings, more than search.grid_limit (10000)");
        String large = BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", "{distribution: q_uniform, min: 0, max: 1e9, q: 1}");
        Definition sampled = parse(large + "search: {method: grid, trials: 5, grid_limit: 2100000000}\n");
        assertThat(tracker.plan.Plan.of(sampled).runs()).hasSize(10);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUICKLY);
        assertThat(problems(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}",
                "{distribution: q_uniform, min: 1e300, max: 1e300, q: 1e-300}")).get(0)).contains("mlp.lr.q (1e-300) is too small");
        assertThat(parse(BASE.replace("{distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}", "{distribution: q_uniform, min: 1.5, max: 1.5, q: 0.5}"))
                .models().get("mlp").params().get("lr")).as("a one-value range").isEqualTo(new Space.QUniform(1.5, 1.5, 0.5));
    }

    @Test
    void recursive_aliases_and_alias_bombs_are_refused_with_their_place() {
        assertThat(problems(BASE + "x: &x {y: *x}\n"))
                .containsExactly("exp.yaml:11:4: this mapping contains itself through an alias: a definition cannot be recursive");
        assertThat(problems(BASE + "x: &x [a, [b, *x]]\n"))
                .containsExactly("exp.yaml:11:4: this list contains itself through an alias: a definition cannot be recursive");
        StringBuilder laughs = new StringBuilder("lols:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 5; i++) {
            laughs.append("  l").append(i).append(": &l").append(i).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append("]\n");
        }
        long start = System.nanoTime();
        assertThat(problems(laughs + BASE).get(0)).startsWith("exp.yaml:").contains("aliases copy too much: more than 100000 values");
        String text = "x".repeat(100_000);
        assertThat(problems("description: &d " + text + "\ntags: [" + String.join(", ", java.util.Collections.nCopies(20, "*d")) + "]\n"
                + BASE).get(0)).startsWith("exp.yaml:1:14: aliases copy too much: more than 1048576 characters");
        assertThat(problems(BASE + "x: [" + String.join(", ", java.util.Collections.nCopies(51, "*y")) + "]\ny: &y [1]\n").get(0))
                .as("undefined before use").contains("found undefined alias");
        assertThat(problems("y: &y [1]\nx: [" + String.join(", ", java.util.Collections.nCopies(51, "*y")) + "]\n" + BASE).get(0))
                .contains("Number of aliases for non-scalar nodes exceeds the specified max=50");
        assertThat(problems("name: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n").get(0)).contains("Nesting Depth exceeded max 50");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUICKLY);
        Definition shared = parse(BASE.replace("models:\n  mlp:\n", "models:\n  mlp: &m\n") + "  mlp2: *m\n");
        assertThat(shared.models().get("mlp2").params()).as("plain sharing is fine").isEqualTo(shared.models().get("mlp").params());
    }

    @Test
    void a_file_too_large_or_not_utf8_is_refused_before_parsing(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "name: big\ndescription: " + "x".repeat(DefinitionFile.MAX_BYTES) + "\n");
        assertThatThrownBy(() -> DefinitionParser.parse(big)).isInstanceOf(DefinitionException.class)
                .hasMessage(big + ":1:1: the file is larger than 1 MiB, the most a definition may have");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "name: demo\ndescription: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> DefinitionParser.parse(latin1)).isInstanceOf(DefinitionException.class)
                .hasMessage(latin1 + ":2:17: the file is not UTF-8 text: byte 0xE9 here is not part of a UTF-8 character")
                .satisfies(e -> assertThat(((DefinitionException) e).hint()).contains("save the file as UTF-8"));
        Path utf16 = dir.resolve("utf16.yaml");
        Files.write(utf16, BASE.getBytes(StandardCharsets.UTF_16));
        assertThatThrownBy(() -> DefinitionParser.parse(utf16)).hasMessage(utf16 + ":1:1: the file is UTF-16 text; a definition must be UTF-8");
        Path bom = dir.resolve("bom.yaml");
        Files.writeString(bom, "\uFEFF" + BASE);
        assertThat(DefinitionParser.parse(bom).name()).as("a UTF-8 byte-order mark is fine").isEqualTo("demo");
        assertThatThrownBy(() -> DefinitionParser.parse(dir)).hasMessageStartingWith("cannot read " + dir + ": ");
        assertThatThrownBy(() -> DefinitionParser.parse(dir.resolve("missing.yaml"))).hasMessage("cannot read " + dir.resolve("missing.yaml") + ": no such file");
    }

    @Test
    void adaptive_search_and_early_stopping_are_read_with_their_defaults() {
        Definition d = parse(BASE + "search: {method: tpe, trials: 30, early_stopping: {method: asha}}\n");
        assertThat(d.search().adaptive()).isTrue();
        assertThat(d.search().startup()).isEqualTo(10);
        assertThat(d.search().transfer()).isFalse();
        assertThat(d.search().earlyStopping()).isEqualTo(new Definition.EarlyStopping(Definition.Rule.asha, 1, 3, 5));
        Definition t = parse(BASE + "search: {method: tpe, trials: 30, startup: 4, transfer: true,\n"
                + "         early_stopping: {method: median, min_epochs: 3, min_runs: 2}}\n");
        assertThat(t.search().startup()).isEqualTo(4);
        assertThat(t.search().transfer()).isTrue();
        assertThat(t.search().earlyStopping()).isEqualTo(new Definition.EarlyStopping(Definition.Rule.median, 3, 3, 2));
        assertThat(parse(BASE + "search: {method: random, trials: 5, early_stopping: {method: asha, eta: 2}}\n").search().earlyStopping())
                .as("early stopping works with any method").isEqualTo(new Definition.EarlyStopping(Definition.Rule.asha, 1, 2, 5));
    }

    @Test
    void adaptive_search_mistakes_are_located() {
        assertThat(problems(BASE + "search: {method: random, trials: 5, startup: 3}\n"))
                .containsExactly("exp.yaml:11:46: search.startup applies to method: tpe only (this search is random)");
        assertThat(problems(BASE + "search: {method: tpe, trials: 5, transfer: yes please}\n"))
                .containsExactly("exp.yaml:11:44: search.transfer must be true or false, not a string ('yes please')");
        assertThat(problems(BASE + "search: {method: tpe, trials: 5, early_stopping: {method: hyperband}}\n"))
                .containsExactly("exp.yaml:11:59: search.early_stopping.method must be one of asha, median, not 'hyperband'");
        assertThat(problems(BASE + "search: {method: tpe, trials: 5, early_stopping: {min_epochs: 2}}\n"))
                .containsExactly("exp.yaml:11:50: search.early_stopping needs a method: asha or median");
        assertThat(problems(BASE + "search: {method: tpe, trials: 5, early_stopping: {method: median, eta: 3}}\n"))
                .containsExactly("exp.yaml:11:72: search.early_stopping.eta applies to method: asha only");
        assertThat(problems(BASE + "search: {method: tpe, trials: 5, early_stopping: {method: asha, eta: 1}}\n"))
                .containsExactly("exp.yaml:11:70: search.early_stopping.eta must be at least 2, not 1");
        assertThat(problems(BASE + "search: {method: tpe, trials: 5, early_stopping: {method: asha, min_runs: 3}}\n"))
                .containsExactly("exp.yaml:11:75: search.early_stopping.min_runs applies to method: median only");
        assertThat(problems(BASE + "search: {method: tpee}\n").get(0)).contains("did you mean 'tpe'?");
    }

    @Test
    void the_canonical_form_names_adaptive_fields_only_where_they_say_something() {
        String plain = Canonical.yaml(parse(BASE + "search: {method: random, trials: 5}\n"));
        assertThat(plain).doesNotContain("startup").doesNotContain("transfer").doesNotContain("early_stopping");
        String tpe = Canonical.yaml(parse(BASE + "search: {method: tpe, trials: 5, early_stopping: {method: asha}}\n"));
        assertThat(tpe).contains("startup: 10").doesNotContain("transfer").contains("early_stopping: {method: asha, min_epochs: 1, eta: 3}");
        assertThat(Canonical.hash(parse(BASE + "search: {method: tpe, trials: 5, startup: 10, transfer: false}\n")))
                .as("defaults written out are the same definition")
                .isEqualTo(Canonical.hash(parse(BASE + "search: {method: tpe, trials: 5}\n")));
        // The stored canonical form parses back to the same definition.
        Definition d = parse(BASE + "search: {method: tpe, trials: 5, transfer: true, early_stopping: {method: median, min_runs: 2}}\n");
        assertThat(DefinitionParser.parse(Canonical.yaml(d), "stored")).isEqualTo(d);
    }

    @Test
    void yaml_merge_keys_inherit_and_override_and_the_hash_is_that_of_the_written_out_form() {
        String merged = """
                name: demo
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris, wine]
                models:
                  base: &base
                    datasets: [iris, wine]
                    params: &bp
                      lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
                      width: 128
                      depth: [1, 2]
                  wide: {<<: *base, params: {<<: *bp, width: 512}}
                  deep:
                    <<: [*base]
                    params: {<<: *bp, depth: [3, 4]}
                """;
        String written = """
                name: demo
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris, wine]
                models:
                  base:
                    datasets: [iris, wine]
                    params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}, width: 128, depth: [1, 2]}
                  wide:
                    datasets: [iris, wine]
                    params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}, width: 512, depth: [1, 2]}
                  deep:
                    datasets: [iris, wine]
                    params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}, width: 128, depth: [3, 4]}
                """;
        Definition d = parse(merged);
        assertThat(d.models().get("wide").params().get("width")).isEqualTo(new Space.Constant(512L));
        assertThat(d.models().get("wide").datasets()).containsExactly("iris", "wine");
        assertThat(d.models().get("deep").params().get("depth")).isEqualTo(new Space.Categorical(List.of(3L, 4L)));
        assertThat(Canonical.hash(d)).isEqualTo(Canonical.hash(parse(written)));
    }

    @Test
    void merge_key_mistakes_are_located() {
        assertThat(problems(BASE.replace("  mlp:\n", "  mlp:\n    <<: 3\n")))
                .containsExactly("exp.yaml:6:9: << merges mappings (an alias such as *base, or a list of them), not an integer");
        // Quoted, it is an ordinary key: unknown in a model.
        assertThat(problems(BASE.replace("  mlp:\n", "  mlp:\n    '<<': {}\n")).get(0)).contains("unknown key '<<'");
        // A merged value is checked where it was written.
        String bad = BASE.replace("  mlp:\n", "  shared: &s {datasets: [iris], params: {lr: {distribution: log_uniform, min: 0, max: 1}}}\n"
                + "  other: {<<: *s}\n  mlp:\n");
        assertThat(problems(bad)).anyMatch(p -> p.startsWith("exp.yaml:5:"));
    }
}
