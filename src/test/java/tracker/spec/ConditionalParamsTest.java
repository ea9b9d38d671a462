package tracker.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static tracker.spec.DefinitionParserTest.parse;
import static tracker.spec.DefinitionParserTest.problems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import tracker.spec.Definition.Condition;

/** {@code when:} on a parameter: parsed, checked with its place, in the canonical form and the hash. */
class ConditionalParamsTest {
    static final String COND = """
            name: c
            objective: {metric: acc, goal: maximize}
            datasets: [iris]
            models:
              mlp:
                datasets: [iris]
                params:
                  optimizer: [sgd, adam, adamw]
                  momentum: {distribution: uniform, min: 0.8, max: 0.99, when: {optimizer: sgd}}
                  nesterov: {values: [true, false], when: {optimizer: sgd, momentum_on: 1}}
                  momentum_on: {value: 1, when: {optimizer: [sgd]}}
                  beta2: {value: 0.999, when: {optimizer: [adamw, adam]}}
            """;

    static Condition condition(String param, Object... values) {
        TreeMap<String, List<Object>> m = new TreeMap<>();
        m.put(param, List.of(values));
        return new Condition(m);
    }

    @Test
    void a_condition_makes_a_parameter_conditional_and_values_and_value_spell_categoricals_and_constants() {
        Definition.Model m = parse(COND).models().get("mlp");
        assertThat(m.params()).containsEntry("nesterov", new Space.Categorical(List.of(true, false)))
                .containsEntry("beta2", new Space.Constant(0.999)).containsEntry("momentum_on", new Space.Constant(1L));
        assertThat(m.conditions()).containsOnlyKeys("momentum", "nesterov", "momentum_on", "beta2");
        assertThat(m.conditions().get("momentum")).as("one value is a list of one").isEqualTo(condition("optimizer", "sgd"));
        assertThat(m.conditions().get("beta2")).as("in optimizer's own order").isEqualTo(condition("optimizer", "adam", "adamw"));
        assertThat(m.conditions().get("nesterov").values()).containsOnlyKeys("optimizer", "momentum_on");
        assertThat(m.conditional("optimizer")).isFalse();
        assertThat(m.conditional("momentum")).isTrue();
    }

    @Test
    void a_setting_keeps_only_its_active_parameters_transitively() {
        Definition.Model m = parse(COND).models().get("mlp");
        Map<String, Object> sgd = Map.of("optimizer", "sgd", "momentum", 0.9, "nesterov", true, "momentum_on", 1L, "beta2", 0.999);
        assertThat(m.activeOnly(sgd)).containsOnlyKeys("optimizer", "momentum", "nesterov", "momentum_on");
        assertThat(m.activeOnly(Map.of("optimizer", "adam", "momentum", 0.9, "nesterov", true, "momentum_on", 1L, "beta2", 0.999)))
                .containsOnlyKeys("optimizer", "beta2");
        assertThat(m.activeOnly(Map.of("optimizer", "sgd", "momentum", 0.9, "nesterov", true, "momentum_on", 1, "beta2", 0.999)))
                .as("an Integer read back from the database is the Long 1").containsKey("nesterov");
        Definition.Model chain = parse(COND.replace("momentum_on: {value: 1, when: {optimizer: [sgd]}}",
                "momentum_on: {values: [1, 2], when: {optimizer: [sgd]}}")).models().get("mlp");
        assertThat(chain.activeOnly(Map.of("optimizer", "adam", "momentum_on", 1L, "nesterov", false)))
                .as("nesterov needs momentum_on, which is inactive under adam").containsOnlyKeys("optimizer");
    }

    @Test
    void definitions_without_conditions_keep_their_form_and_hash_and_the_mapping_forms_mean_the_same() {
        String base = DefinitionParserTest.BASE;
        Definition d = parse(base);
        assertThat(d.models().get("mlp").conditions()).isEmpty();
        assertThat(Canonical.yaml(d)).doesNotContain("when");
        assertThat(Canonical.hash(parse(base.replace("hidden: [32, 64]", "hidden: {values: [32, 64]}")))).isEqualTo(Canonical.hash(d));
        assertThat(Canonical.hash(parse(base.replace("epochs: 30", "epochs: {value: 30}")))).isEqualTo(Canonical.hash(d));
        assertThat(parse(base.replace("epochs: 30", "epochs: {value: 30}"))).isEqualTo(d);
    }

    @Test
    void conditions_are_in_the_canonical_form_which_reads_back_to_the_same_definition() {
        Definition d = parse(COND);
        String yaml = Canonical.yaml(d);
        assertThat(yaml).contains("when: {optimizer: [sgd]}").contains("when: {optimizer: [adam, adamw]}").contains("value: 0.999");
        assertThat(DefinitionParser.parse(yaml, "canonical.yaml")).isEqualTo(d);
        assertThat(Canonical.hash(DefinitionParser.parse(yaml, "canonical.yaml"))).isEqualTo(Canonical.hash(d));

        assertThat(Canonical.hash(parse(COND.replace("when: {optimizer: sgd}}", "when: {optimizer: [sgd]}}"))))
                .as("one value or a list of one").isEqualTo(Canonical.hash(d));
        assertThat(Canonical.hash(parse(COND.replace("when: {optimizer: sgd}}", "when: {optimizer: [sgd, adam]}}"))))
                .isNotEqualTo(Canonical.hash(d));
        assertThat(Canonical.hash(parse(COND.replace(", when: {optimizer: sgd}}", "}"))))
                .as("dropping a condition changes the definition").isNotEqualTo(Canonical.hash(d));
    }

    @Test
    void the_example_in_the_documentation_is_valid_and_chains() throws IOException {
        String doc = Files.readString(Path.of("docs/definitions.md"));
        int section = doc.indexOf("## Conditional parameters");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        String params = doc.substring(start, doc.indexOf("```", start)).indent(4);
        Definition.Model m = parse("""
                name: doc
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp:
                    datasets: [iris]
                """ + params).models().get("mlp");
        assertThat(m.conditions()).containsOnlyKeys("momentum", "nesterov", "beta2", "dampening");
        assertThat(m.activeOnly(Map.of("optimizer", "sgd", "momentum", 0.9, "nesterov", false, "dampening", 0.1, "beta2", 0.999)))
                .containsOnlyKeys("optimizer", "momentum", "nesterov", "dampening");
        assertThat(m.activeOnly(Map.of("optimizer", "sgd", "momentum", 0.9, "nesterov", true, "dampening", 0.1, "beta2", 0.999)))
                .containsOnlyKeys("optimizer", "momentum", "nesterov");
        assertThat(m.activeOnly(Map.of("optimizer", "adamw", "momentum", 0.9, "nesterov", false, "dampening", 0.1, "beta2", 0.999)))
                .containsOnlyKeys("optimizer", "beta2");
    }

    @Test
    void the_hash_of_the_conditional_example_never_changes() {
        // Pinned when conditions were introduced: stored experiments with when: are found again by it.
        assertThat(Canonical.hash(DefinitionParser.parse(Path.of("experiments/conditional.yaml"))))
                .isEqualTo("3c03abbdebc6d6c0c84d37fa6d40508912465388b24b406de5aef0bc6f42a45d");
    }

    @Test
    void extending_refuses_a_changed_condition() {
        Definition d = parse(COND);
        Definition changed = parse(COND.replace("when: {optimizer: sgd}}", "when: {optimizer: [sgd, adam]}}"));
        assertThat(Extension.refusals(d, changed)).containsExactly("parameters of model 'mlp' changed: their conditions (when:)");
        assertThat(Extension.refusals(d, parse(COND.replace(", when: {optimizer: sgd}}", "}"))))
                .containsExactly("parameters of model 'mlp' changed: their conditions (when:)");
        assertThat(Extension.refusals(d, parse(COND.replace("name: c", "name: c\ndescription: more")))).isEmpty();
    }

    @Test
    void a_condition_naming_an_unknown_parameter_or_itself_is_located() {
        assertThat(problems(COND.replace("when: {optimizer: sgd}}", "when: {optimiser: sgd}}")))
                .containsExactly("exp.yaml:9:69: mlp.momentum.when names parameter 'optimiser', which model 'mlp' does not have"
                        + " (did you mean 'optimizer'?)");
        assertThat(problems(COND.replace("when: {optimizer: sgd}}", "when: {momentum: 0.9}}")))
                .containsExactly("exp.yaml:9:69: mlp.momentum.when names 'momentum' itself: a parameter cannot depend on its own value");
    }

    @Test
    void a_cycle_of_conditions_is_refused_once() {
        assertThat(problems(COND.replace("momentum_on: {value: 1, when: {optimizer: [sgd]}}",
                "momentum_on: {value: 1, when: {nesterov: true}}")))
                .containsExactly("exp.yaml:11:38: mlp.momentum_on.when: a cycle of conditions (momentum_on -> nesterov -> momentum_on):"
                        + " each would be active only when the other is; remove one of the conditions");
    }

    @Test
    void a_condition_may_only_name_a_constant_or_categorical_and_only_its_values() {
        assertThat(problems(COND.replace("when: {optimizer: [adamw, adam]}", "when: {momentum: 0.9}")))
                .containsExactly("exp.yaml:12:36: mlp.beta2.when names 'momentum', a uniform parameter: a condition can only name a"
                        + " constant or a categorical one, whose values can be listed; give 'momentum' a list of values ([...] or"
                        + " {values: [...]}) to condition on them");
        assertThat(problems(COND.replace("when: {optimizer: [adamw, adam]}", "when: {optimizer: [adamw, adm]}")))
                .containsExactly("exp.yaml:12:55: mlp.beta2.when.optimizer: 'optimizer' never takes the value adm, so the condition"
                        + " could never hold (did you mean adam?); its values: sgd, adam, adamw");
        assertThat(problems(COND.replace("when: {optimizer: sgd, momentum_on: 1}", "when: {optimizer: sgd, momentum_on: 2}")))
                .containsExactly("exp.yaml:10:77: mlp.nesterov.when.momentum_on: 'momentum_on' never takes the value 2, so the"
                        + " condition could never hold; its values: 1");
        assertThat(problems(COND.replace("when: {optimizer: [adamw, adam]}", "when: {optimizer: []}")))
                .containsExactly("exp.yaml:12:47: mlp.beta2.when.optimizer is an empty list: give at least one of optimizer's values"
                        + " (sgd, adam, adamw)");
        assertThat(problems(COND.replace("when: {optimizer: [adamw, adam]}", "when: {}")))
                .containsExactly("exp.yaml:12:35: mlp.beta2.when is empty: name the parameters it depends on, e.g. when: {optimizer: sgd}");
        assertThat(problems(COND.replace("when: {optimizer: [adamw, adam]}", "when: optimizer")))
                .containsExactly("exp.yaml:12:35: mlp.beta2.when must be a mapping (key: value lines), not a string");
        assertThat(problems(COND.replace("when: {optimizer: [adamw, adam]}", "when: {optimizer: }")))
                .containsExactly("exp.yaml:12:36: mlp.beta2.when.optimizer has no value: give one of optimizer's values or a list of them");
    }

    @Test
    void the_mapping_forms_without_distribution_are_checked() {
        assertThat(problems(COND.replace("{value: 0.999,", "{value: 0.999, values: [1],")))
                .containsExactly("exp.yaml:12:15: mlp.beta2 has both 'values' and 'value': a list of values or one constant, not both");
        assertThat(problems(COND.replace("{value: 0.999,", "{value: 0.999, min: 0,")))
                .containsExactly("exp.yaml:12:29: mlp.beta2: 'min' does not apply to a constant (it needs 'distribution: KIND')");
        assertThat(problems(COND.replace("{value: 0.999,", "{")))
                .containsExactly("exp.yaml:12:14: mlp.beta2 needs 'distribution: KIND' (one of uniform, log_uniform, int_uniform,"
                        + " q_uniform, q_log_uniform, normal, log_normal, categorical), 'values: [...]' or 'value: X'");
        assertThat(problems(COND.replace("{values: [true, false],", "{values: [],")))
                .containsExactly("exp.yaml:10:26: mlp.nesterov.values is an empty list: give at least one value");
        assertThat(problems(COND.replace("{value: 0.999,", "{value: [1],")))
                .containsExactly("exp.yaml:12:22: mlp.beta2.value must be a number, text or true/false, not a list");
        assertThat(problems(COND.replace("momentum: {distribution: uniform, min: 0.8, max: 0.99,",
                "momentum: {distribution: uniform, min: 0.8, max: 0.99, value: 3,")))
                .containsExactly("exp.yaml:9:62: mlp.momentum: 'value' does not apply to a uniform distribution");
    }

    @Test
    void the_command_may_not_name_a_conditional_parameter_alone() {
        assertThat(problems(COND + "command: python train.py --momentum {param.momentum} {args}\n"))
                .containsExactly("exp.yaml:13:10: command: {param.momentum}: parameter 'momentum' of model 'mlp' is conditional (when:)"
                        + " and absent from the runs where it is inactive; pass it with {args}, which leaves it out of those runs");
        assertThat(parse(COND + "command: python train.py --opt {param.optimizer} {args}\n").command()).contains("{param.optimizer}");
    }
}
