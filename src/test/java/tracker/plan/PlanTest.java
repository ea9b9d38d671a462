package tracker.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import tracker.spec.Definition;
import tracker.spec.DefinitionParser;

class PlanTest {
    static final String DEF = """
            name: p
            objective: {metric: acc, goal: maximize}
            datasets: [a, b, c]
            models:
              mlp: {datasets: [a, b, c], params: {lr: {distribution: log_uniform, min: 1e-4, max: 1e-1}, depth: [1, 2, 3]}}
              knn: {datasets: [a, b], params: {k: {distribution: int_uniform, min: 1, max: 20}}}
            search: {trials: 3, replicates: 2, seed: 11}
            """;

    static Plan plan(String yaml) {
        return Plan.of(DefinitionParser.parse(yaml, "p.yaml"));
    }

    @Test
    void every_cell_gets_trials_times_replicates_runs() {
        Plan p = plan(DEF);
        assertThat(p.cells()).isEqualTo(5);
        assertThat(p.runs()).hasSize(5 * 3 * 2);
        assertThat(p.runs().stream().map(PlannedRun::key).distinct()).hasSize(30);
    }

    @Test
    void the_same_definition_always_plans_the_same_values_and_seeds() {
        assertThat(plan(DEF)).isEqualTo(plan(DEF));
        assertThat(plan(DEF.replace("seed: 11", "seed: 12")).runs()).isNotEqualTo(plan(DEF).runs());
    }

    @Test
    void every_cell_gets_its_first_trial_before_any_gets_its_second() {
        List<PlannedRun> runs = plan(DEF).runs();
        assertThat(runs.subList(0, 5)).allMatch(r -> r.trial() == 0 && r.replicate() == 0);
        assertThat(runs.subList(0, 5).stream().map(r -> r.model() + "/" + r.dataset()))
                .containsExactly("knn/a", "knn/b", "mlp/a", "mlp/b", "mlp/c");
        for (int i = 1; i < runs.size(); i++) {
            PlannedRun a = runs.get(i - 1);
            PlannedRun b = runs.get(i);
            assertThat(a.trial() * 10 + a.replicate()).isLessThanOrEqualTo(b.trial() * 10 + b.replicate());
        }
    }

    @Test
    void higher_priority_models_come_first() {
        List<PlannedRun> runs = plan(DEF.replace("knn: {datasets: [a, b],", "knn: {priority: 5, datasets: [a, b],")).runs();
        assertThat(runs.subList(0, 12)).allMatch(r -> r.model().equals("knn"));
    }

    @Test
    void a_setting_is_the_same_on_every_dataset_and_a_replicate_seed_the_same_everywhere() {
        Plan p = plan(DEF);
        Map<String, Object> byModelTrial = new HashMap<>();
        for (PlannedRun r : p.runs()) {
            Object before = byModelTrial.putIfAbsent(r.model() + "/" + r.trial(), r.params());
            if (before != null) {
                assertThat(r.params()).isEqualTo(before);
            }
        }
        Map<Integer, List<Long>> seeds = p.runs().stream().collect(Collectors.groupingBy(PlannedRun::replicate,
                Collectors.mapping(PlannedRun::seed, Collectors.toList())));
        assertThat(seeds.get(0)).containsOnly(seeds.get(0).get(0));
        assertThat(seeds.get(1)).containsOnly(seeds.get(1).get(0)).doesNotContain(seeds.get(0).get(0));
        assertThat(seeds.get(0).get(0)).isBetween(0L, (long) Integer.MAX_VALUE);
    }

    @Test
    void extending_keeps_every_existing_run_as_it_was() {
        Map<String, PlannedRun> before = plan(DEF).runs().stream().collect(Collectors.toMap(PlannedRun::key, r -> r));
        Plan more = plan(DEF.replace("trials: 3, replicates: 2", "trials: 5, replicates: 3")
                .replace("datasets: [a, b, c]\nmodels", "datasets: [a, b, c, d]\nmodels")
                .replace("mlp: {datasets: [a, b, c]", "mlp: {datasets: [a, b, c, d]"));
        Map<String, PlannedRun> after = more.runs().stream().collect(Collectors.toMap(PlannedRun::key, r -> r));
        assertThat(after).containsAllEntriesOf(before);
        assertThat(after).hasSize(4 * 5 * 3 + 2 * 5 * 3);
    }

    @Test
    void grid_plans_the_whole_grid_unless_trials_cap_it() {
        String grid = """
                name: g
                objective: {metric: acc, goal: maximize}
                datasets: [a]
                models:
                  m: {datasets: [a], params: {x: [1, 2, 3], y: {distribution: q_uniform, min: 0, max: 0.3, q: 0.1}}}
                search: {method: grid}
                """;
        Plan whole = plan(grid);
        assertThat(whole.runs()).hasSize(12);
        assertThat(whole.runs().stream().map(r -> r.params().get("x") + "," + r.params().get("y")).distinct()).hasSize(12);
        assertThat(whole.runs().stream().map(r -> (Double) r.params().get("y")).distinct())
                .containsExactlyInAnyOrder(0.0, 0.1, 0.2, 0.3);
        Plan capped = plan(grid.replace("method: grid}", "method: grid, trials: 5}"));
        assertThat(capped.runs()).hasSize(5);
        assertThat(whole.runs().subList(0, 5)).isEqualTo(capped.runs());
        Definition d = DefinitionParser.parse(grid.replace("method: grid}", "method: grid, trials: 50}"), "g.yaml");
        assertThat(Plan.of(d).runs()).as("trials above the grid size plan the grid once").hasSize(12);
    }

    @Test
    void adaptive_trials_are_planned_without_a_setting() {
        Plan p = plan(DEF.replace("search: {trials: 3,", "search: {method: tpe, trials: 3,"));
        assertThat(p.runs()).hasSize(30).allMatch(r -> r.params() == null);
        assertThat(p.runs().stream().map(PlannedRun::key).distinct()).hasSize(30);
    }

    @Test
    void one_random_trial_alone_is_the_same_as_in_the_whole_sequence() {
        Definition d = DefinitionParser.parse(DEF.replace("search: {trials: 3,", "search: {method: random, trials: 40,"), "p.yaml");
        for (Definition.Model m : d.models().values()) {
            var all = SettingsSampler.settings(m, d.search(), 40);
            for (int k = 0; k < 40; k++) {
                assertThat(SettingsSampler.random(m, d.search().seed(), k)).as(m.name() + " trial " + k).isEqualTo(all.get(k));
            }
        }
    }
}
