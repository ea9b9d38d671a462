package tracker.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.SortedMap;

import org.junit.jupiter.api.Test;

import tracker.spec.Definition;
import tracker.spec.DefinitionParser;

/** The trials of a grid grown in stages: the old ones as they were, the new settings after them, a cap over all. */
class GridStagesTest {
    static final String DEF = """
            name: g
            objective: {metric: acc, goal: maximize}
            datasets: [a]
            models:
              m: {datasets: [a], params: {x: [1, 2, 3], y: 7, z: {distribution: uniform, min: 0, max: 1, points: 2}}}
            search: {method: grid, seed: 9%s}
            """;

    static Definition def(String params, String search) {
        return DefinitionParser.parse(DEF.formatted(search).replace("x: [1, 2, 3], y: 7", params), "g.yaml");
    }

    static List<SortedMap<String, Object>> settings(Plan p) {
        return p.runs().stream().sorted((a, b) -> a.trial() - b.trial()).map(PlannedRun::params).toList();
    }

    @Test
    void a_model_that_never_grew_plans_as_before() {
        Definition d = def("x: [1, 2, 3], y: 7", "");
        assertThat(Plan.of(d, GridStages.NONE)).isEqualTo(Plan.of(d));
        GridStages unchanged = GridStages.NONE.extendedBy(d, d);
        assertThat(unchanged.isEmpty()).isTrue();
    }

    @Test
    void old_trials_keep_their_settings_and_the_new_ones_follow_in_a_fixed_order() {
        Definition before = def("x: [1, 2, 3], y: 7", "");
        Definition after = def("x: [1, 2, 3, 4], y: [7, 8]", "");
        GridStages stages = GridStages.NONE.extendedBy(before, after);
        List<SortedMap<String, Object>> old = settings(Plan.of(before));
        List<SortedMap<String, Object>> grown = settings(Plan.of(after, stages));
        assertThat(old).hasSize(6);
        assertThat(grown).hasSize(16);
        assertThat(grown.subList(0, 6)).isEqualTo(old);
        assertThat(new HashSet<>(grown)).hasSize(16);
        assertThat(grown.subList(6, 16)).allMatch(s -> s.get("x").equals(4L) || s.get("y").equals(8L));
        assertThat(settings(Plan.of(after, stages))).as("a function of the stages").isEqualTo(grown);
        // planned afresh (a new version), the grown grid comes in another order
        assertThat(settings(Plan.of(after)).subList(0, 6)).isNotEqualTo(old);
    }

    @Test
    void a_cap_applies_to_the_whole_sequence_so_raising_it_later_takes_the_old_grid_first() {
        Definition before = def("x: [1, 2, 3], y: 7", ", trials: 4");
        Definition after = def("x: [1, 2, 3, 4], y: 7", ", trials: 4");
        GridStages stages = GridStages.NONE.extendedBy(before, after);
        assertThat(settings(Plan.of(after, stages))).as("still capped at 4: nothing new").isEqualTo(settings(Plan.of(before)));
        Definition raised = def("x: [1, 2, 3, 4], y: 7", ", trials: 7");
        List<SortedMap<String, Object>> more = settings(Plan.of(raised, stages.extendedBy(after, raised)));
        assertThat(more.subList(0, 4)).isEqualTo(settings(Plan.of(before)));
        assertThat(more.subList(4, 6)).as("the rest of the first grid").allMatch(s -> !s.get("x").equals(4L));
        assertThat(more.get(6).get("x")).isEqualTo(4L);
    }

    @Test
    void stages_survive_their_json_form() {
        Definition before = def("x: [1, 2, 3], y: 7", "");
        Definition after = def("x: [1, 2, 3, 4], y: [7, 8]", "");
        Definition again = def("x: [0, 1, 2, 3, 4], y: [7, 8]", "");
        GridStages stages = GridStages.NONE.extendedBy(before, after).extendedBy(after, again);
        assertThat(stages.byModel().get("m")).hasSize(3);
        GridStages read = GridStages.fromJson(stages.json());
        assertThat(settings(Plan.of(again, read))).isEqualTo(settings(Plan.of(again, stages)));
    }

    @Test
    void a_conditional_grid_grows_by_its_new_settings_only_and_keeps_its_conditions() {
        String momentum = ", momentum: {values: [0.9, 0.99], when: {x: 1}}";
        Definition before = def("x: [1, 2], y: 7" + momentum, "");
        Definition after = def("x: [1, 2, 3], y: 7" + momentum, "");
        GridStages stages = GridStages.NONE.extendedBy(before, after);
        List<SortedMap<String, Object>> old = settings(Plan.of(before));
        List<SortedMap<String, Object>> grown = settings(Plan.of(after, stages));
        // x=1 with two momenta, x=2 without: 3 settings x 2 points of z; x=3 adds 2 more, without momentum
        assertThat(old).hasSize(6);
        assertThat(grown).hasSize(8);
        assertThat(grown.subList(0, 6)).isEqualTo(old);
        assertThat(grown.subList(6, 8)).allSatisfy(s -> assertThat(s).containsEntry("x", 3L).doesNotContainKey("momentum"));
        assertThat(grown).allSatisfy(s -> assertThat(s.containsKey("momentum")).isEqualTo(s.get("x").equals(1L)));
    }
}
