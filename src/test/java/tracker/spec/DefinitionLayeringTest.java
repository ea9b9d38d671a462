package tracker.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.ExitCode;
import tracker.TrackerException;

/** include:, templates: and extends:, and --set: a definition built from parts resolves to plain models before it is hashed. */
class DefinitionLayeringTest {
    @TempDir
    Path dir;

    /** One definition written out in full: the reference every layered spelling must equal. */
    static final String WRITTEN = """
            name: program
            objective: {metric: accuracy, goal: maximize}
            datasets: [iris, wine, digits]
            models:
              mlp:
                datasets: [iris, wine]
                priority: 2
                params:
                  lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
                  width: [64, 128]
                  epochs: 20
              wide:
                datasets: [iris, wine]
                priority: 2
                params:
                  lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}
                  width: 512
              deep:
                datasets: [digits]
                priority: 2
                params:
                  lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}
                  width: [64, 128]
                  epochs: 20
                  depth: [3, 4]
            search: {method: random, trials: 4, seed: 3}
            """;

    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    static Definition read(Path f, String... sets) {
        return DefinitionParser.read(f, List.of(sets), true).definition();
    }

    static List<String> problems(Path f, String... sets) {
        try {
            read(f, sets);
        } catch (DefinitionException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
            return e.problems();
        }
        throw new AssertionError("expected problems in " + f);
    }

    String hashOfWritten() throws IOException {
        return Canonical.hash(read(write("written.yaml", WRITTEN)));
    }

    @Test
    void templates_and_extends_resolve_to_the_written_out_models() throws IOException {
        Path f = write("layered.yaml", """
                name: program
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris, wine, digits]
                templates:
                  net:
                    datasets: [iris, wine]
                    priority: 2
                    params:
                      lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}
                      width: [64, 128]
                      epochs: 20
                models:
                  mlp:
                    extends: net
                    params: {lr: {max: 1.0e-2}}        # one field of the range: the rest is inherited
                  wide:
                    extends: net
                    params: {width: 512, epochs: ~}    # replaced, and removed
                  deep:
                    extends: net
                    datasets: [digits]                 # a list is replaced, not added to
                    params: {depth: [3, 4]}
                search: {method: random, trials: 4, seed: 3}
                """);
        Definition d = read(f);
        assertThat(d.models()).containsOnlyKeys("mlp", "wide", "deep"); // a template is never a model
        assertThat(d.models().get("wide").params()).containsOnlyKeys("lr", "width");
        assertThat(d.models().get("deep").datasets()).containsExactly("digits");
        assertThat(d.models().get("mlp").params().get("lr")).isEqualTo(new Space.LogUniform(1e-4, 1e-2, null));
        assertThat(Canonical.hash(d)).isEqualTo(hashOfWritten());
    }

    @Test
    void a_chain_of_models_resolves_from_the_root_down() throws IOException {
        Path f = write("chain.yaml", """
                name: chain
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris]
                templates:
                  root: {datasets: [iris], params: {a: 1, b: 2, c: 3}}
                models:
                  m3: {extends: m2, params: {c: 30}}
                  m2: {extends: m1, params: {b: 20}}
                  m1: {extends: root, params: {a: 10, b: ~}}
                """);
        Definition d = read(f);
        assertThat(d.models().get("m1").params()).containsOnlyKeys("a", "c");
        assertThat(d.models().get("m2").params().get("b")).isEqualTo(new Space.Constant(20L)); // given back after a removal
        assertThat(d.models().get("m3").params()).containsEntry("a", new Space.Constant(10L))
                .containsEntry("b", new Space.Constant(20L)).containsEntry("c", new Space.Constant(30L));
    }

    @Test
    void inheritance_mistakes_are_located() throws IOException {
        String head = """
                name: bad
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris]
                """;
        assertThat(problems(write("cycle.yaml", head + """
                models:
                  a: {extends: b, datasets: [iris]}
                  b: {extends: c}
                  c: {extends: a}
                """))).anyMatch(p -> p.matches(".*cycle.yaml:\\d+:\\d+: extends goes round in a circle: .*a -> b -> c -> a.*"));
        assertThat(problems(write("self.yaml", head + "models:\n  a: {extends: a, datasets: [iris]}\n")))
                .anyMatch(p -> p.contains("self.yaml:5:16: extends goes round in a circle: a -> a"));
        assertThat(problems(write("unknown.yaml", head + "templates:\n  base: {datasets: [iris]}\nmodels:\n  a: {extends: bsae}\n")))
                .containsExactly(dir.resolve("unknown.yaml") + ":7:16: model 'a' extends 'bsae', which is neither a model nor a template (did you mean 'base'?)");
        assertThat(problems(write("clash.yaml", head + "templates:\n  a: {datasets: [iris]}\nmodels:\n  a: {datasets: [iris]}\n")))
                .anyMatch(p -> p.contains("clash.yaml:5:3: template 'a' has the name of a model"));
        assertThat(problems(write("removal.yaml", head + """
                templates:
                  base: {datasets: [iris], params: {lr: 0.1}}
                models:
                  a: {extends: base, params: {momentum: ~}}
                """))).anyMatch(p -> p.contains("removal.yaml:7:31: model 'a' removes parameter 'momentum' (with ~), but 'base' has no such parameter; it has lr"));
        // An inherited value is checked where it was written: in the template.
        assertThat(problems(write("inherited.yaml", head + """
                templates:
                  base: {datasets: [iris], params: {lr: {distribution: log_uniform, min: 0, max: 1}}}
                models:
                  a: {extends: base}
                """))).anyMatch(p -> p.startsWith(dir.resolve("inherited.yaml") + ":5:"));
    }

    @Test
    void includes_are_relative_to_the_file_that_names_them_and_the_including_file_wins() throws IOException {
        write("shared/data.yaml", """
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris, wine, digits]
                search: {method: random, trials: 4, seed: 3}
                """);
        write("shared/nets.yaml", """
                include: data.yaml          # relative to shared/, not to the including file
                templates:
                  net:
                    datasets: [iris, wine]
                    priority: 2
                    params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}, width: [64, 128], epochs: 20}
                search: {trials: 2}         # overridden below
                """);
        Path f = write("variants/program.yaml", """
                include: [../shared/nets.yaml]
                name: program
                models:
                  mlp: {extends: net, params: {lr: {max: 1.0e-2}}}
                  wide: {extends: net, params: {width: 512, epochs: ~}}
                  deep: {extends: net, datasets: [digits], params: {depth: [3, 4]}}
                search: {trials: 4}
                """);
        Definition d = read(f);
        assertThat(d.search().trials()).isEqualTo(4);
        assertThat(Canonical.hash(d)).isEqualTo(hashOfWritten());
        // Of two includes, the later one wins; the including file wins over both.
        write("one.yaml", "search: {trials: 5, seed: 3}\n");
        write("two.yaml", "search: {trials: 6}\n");
        Path order = write("order.yaml", WRITTEN.replace("search: {method: random, trials: 4, seed: 3}\n", "include: [one.yaml, two.yaml]\n"));
        assertThat(read(order).search().trials()).isEqualTo(6);
        assertThat(read(order).search().seed()).isEqualTo(3);
    }

    @Test
    void include_mistakes_name_the_file_and_line() throws IOException {
        Path a = write("a.yaml", WRITTEN + "include: b.yaml\n");
        write("b.yaml", "include: c.yaml\n");
        write("c.yaml", "include: a.yaml\n");
        assertThat(problems(a)).anyMatch(p -> p.startsWith(dir.resolve("c.yaml") + ":1:10: include cycle: a.yaml -> b.yaml -> c.yaml -> a.yaml"));

        Path missing = write("missing.yaml", WRITTEN + "include: [nowhere.yaml]\n");
        assertThat(problems(missing)).singleElement().asString()
                .startsWith(missing + ":27:11: cannot include 'nowhere.yaml': ").contains("no such file");

        // A mistake inside an included file is reported in that file, at its line.
        write("parts/bad.yaml", "search:\n  trials: many\n");
        Path f = write("uses-bad.yaml", WRITTEN.replace("search: {method: random, trials: 4, seed: 3}\n", "include: parts/bad.yaml\n"));
        assertThat(problems(f)).anyMatch(p -> p.startsWith(dir.resolve("parts/bad.yaml") + ":2:11: search.trials"));
        write("parts/list.yaml", "- a\n- b\n");
        Path l = write("uses-list.yaml", WRITTEN + "include: parts/list.yaml\n");
        assertThat(problems(l)).anyMatch(p -> p.startsWith(dir.resolve("parts/list.yaml") + ":1:1: an included file must be a mapping"));
        write("parts/syntax.yaml", "search: {trials: 4\n");
        Path s = write("uses-syntax.yaml", WRITTEN + "include: parts/syntax.yaml\n");
        assertThat(problems(s)).anyMatch(p -> p.startsWith(dir.resolve("parts/syntax.yaml") + ":") && p.contains("not valid YAML"));
    }

    @Test
    void a_definition_without_a_file_cannot_include() {
        assertThatThrownBy(() -> DefinitionParser.parse(WRITTEN + "include: x.yaml\n", "sent.yaml"))
                .isInstanceOf(DefinitionException.class)
                .satisfies(e -> assertThat(((DefinitionException) e).problems()).singleElement().asString()
                        .startsWith("sent.yaml:27:1: include: names files next to the definition"));
    }

    @Test
    void set_overrides_are_checked_like_the_file_and_say_what_they_replaced() throws IOException {
        Path f = write("exp.yaml", WRITTEN);
        Definition d = read(f, "search.trials=20", "models.mlp.params.lr.max=0.05", "models.wide.params.width=[256, 512]",
                "models.deep.params.epochs=~", "runs.lease=5m");
        assertThat(d.search().trials()).isEqualTo(20);
        assertThat(d.models().get("mlp").params().get("lr")).isEqualTo(new Space.LogUniform(1e-4, 0.05, null));
        assertThat(d.models().get("wide").params().get("width")).isEqualTo(new Space.Categorical(List.of(256L, 512L)));
        assertThat(d.models().get("deep").params()).doesNotContainKey("epochs");
        assertThat(d.runs().lease()).hasMinutes(5);
        // The same as writing it in the file.
        assertThat(Canonical.hash(read(f, "search.trials=4"))).isEqualTo(Canonical.hash(read(f)));

        // A wrong value is located at what it replaced, naming the override.
        assertThat(problems(f, "models.mlp.params.lr.max=abc"))
                .containsExactly(f + ":9:57 (--set models.mlp.params.lr.max=abc): mlp.lr.max must be a number, not a string ('abc')");
        assertThat(problems(f, "models.mlp.params.momentum=~"))
                .containsExactly(f + ":9:7 (--set models.mlp.params.momentum=~): removes 'momentum', which the definition does not have");
        assertThat(problems(f, "serch.trials=3")).anyMatch(p -> p.startsWith(f + ":1:1 (--set serch.trials=3): unknown key 'serch'")
                && p.contains("did you mean 'search'"));
        assertThat(problems(f, "models.mlp.params.width.max=3")).containsExactly(f
                + ":10:14: --set models.mlp.params.width.max=3: models.mlp.params.width is a list here, not a mapping, so it has no 'max'; "
                + "set it whole: --set models.mlp.params.width=...");
        assertThat(problems(f, "search.trials=[1, ")).singleElement().asString().startsWith("--set search.trials=[1, : not valid YAML");
        assertThatThrownBy(() -> read(f, "search.trials")).isInstanceOf(TrackerException.class)
                .satisfies(e -> assertThat(((TrackerException) e).exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("expected KEY=VALUE");
        assertThatThrownBy(() -> read(f, "search..trials=3")).isInstanceOf(TrackerException.class).hasMessageContaining("empty part");
    }

    @Test
    void an_override_of_an_inherited_field_merges_and_dotted_names_are_matched_whole() throws IOException {
        Path f = write("t.yaml", """
                name: t
                objective: {metric: accuracy, goal: maximize}
                datasets: {cifar-10.v2: {path: a.csv}, iris: {}}
                templates:
                  net: {datasets: [iris], params: {lr: {distribution: uniform, min: 0, max: 1}}}
                models:
                  mlp: {extends: net}
                """);
        Definition d = read(f, "models.mlp.params.lr.max=0.5", "datasets.cifar-10.v2.path=b.csv", "templates.net.params.epochs=3");
        assertThat(d.models().get("mlp").params()).containsEntry("lr", new Space.Uniform(0, 0.5, null))
                .containsEntry("epochs", new Space.Constant(3L));
        assertThat(d.datasets().get("cifar-10.v2").attributes()).containsEntry("path", "b.csv");
    }

    @Test
    void three_spellings_of_one_definition_have_one_hash() throws IOException {
        String viaMergeKeys = """
                name: program
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris, wine, digits]
                models:
                  mlp: &net
                    datasets: [iris, wine]
                    priority: 2
                    params: &np
                      lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
                      width: [64, 128]
                      epochs: 20
                  wide: {<<: *net, params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}, width: 512}}
                  deep: {<<: *net, datasets: [digits], params: {<<: *np, lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}, depth: [3, 4]}}
                search: {method: random, trials: 4, seed: 3}
                """;
        write("nets.yaml", """
                templates:
                  net:
                    datasets: [iris, wine]
                    priority: 2
                    params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}, width: [64, 128], epochs: 20}
                """);
        String viaIncludeAndSet = """
                include: nets.yaml
                name: program
                objective: {metric: accuracy, goal: maximize}
                datasets: [iris, wine, digits]
                models:
                  mlp: {extends: net}
                  wide: {extends: net, params: {width: 512, epochs: ~}}
                  deep: {extends: mlp, datasets: [digits], params: {depth: [3, 4]}}
                search: {method: random, trials: 4, seed: 3}
                """;
        String hash = hashOfWritten();
        assertThat(Canonical.hash(read(write("merge.yaml", viaMergeKeys)))).isEqualTo(hash);
        // deep extends mlp before the override narrows mlp's lr: the override comes first, so deep inherits
        // the narrowed range unless it says otherwise - as a file with the line written in would.
        Definition layered = read(write("layered.yaml", viaIncludeAndSet), "models.mlp.params.lr.max=1.0e-2",
                "models.deep.params.lr.max=0.1");
        assertThat(Canonical.hash(layered)).isEqualTo(hash);
    }

    @Test
    void origins_say_where_each_value_was_written_and_the_annotated_form_reads_back() throws IOException {
        write("parts/base.yaml", """
                objective: {metric: accuracy, goal: maximize}
                templates:
                  net: {datasets: [iris], params: {lr: {distribution: log_uniform, min: 1.0e-4, max: 0.1}}}
                """);
        Path f = write("o.yaml", """
                include: parts/base.yaml
                name: o
                datasets: [iris]
                models:
                  mlp: {extends: net, params: {lr: {max: 1.0e-2}}}
                """);
        DefinitionParser.Resolved r = DefinitionParser.read(f, List.of("search.trials=7"), true);
        String yaml = Canonical.yaml(r.definition(), r.origins());
        assertThat(yaml).contains("name: o  # " + f + ":2:7\n")
                .contains("objective: {metric: accuracy, phase: val, goal: maximize}  # " + dir.resolve("parts/base.yaml") + ":1:12\n")
                .contains("lr: {distribution: log_uniform, min: 0.0001, max: 0.01}  # " + f + ":5:36; distribution from "
                        + dir.resolve("parts/base.yaml") + ":3:55; min from " + dir.resolve("parts/base.yaml") + ":3:73\n")
                .containsPattern("search: \\{.*trials: 7.*\\}  # " + java.util.regex.Pattern.quote(f + ":1:1 (--set search.trials=7)"))
                .contains("runs: {lease: 10m, max_attempts: 3, priority: 0}  # default\n");
        assertThat(DefinitionParser.parse(yaml, "annotated")).isEqualTo(r.definition());
        assertThat(Origins.fromPairs(r.origins().pairs())).isEqualTo(r.origins());
    }
}
