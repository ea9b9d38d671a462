package tracker.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import tracker.spec.Definition;
import tracker.spec.DefinitionException;
import tracker.spec.DefinitionParser;
import tracker.spec.GridValues;
import tracker.spec.PlanSize;
import tracker.spec.Space;

/** Conditional parameters ({@code when:}) under every search method: absent where inactive, nothing else changed. */
class ConditionalSamplingTest {
    static final String GRID = """
            name: g
            objective: {metric: acc, goal: maximize}
            datasets: [a, b]
            models:
              m:
                datasets: [a, b]
                params:
                  optimizer: [sgd, adam]
                  momentum: {values: [0.9, 0.99], when: {optimizer: sgd}}
            search: {method: grid, replicates: 2, seed: 5}
            """;

    static Definition parse(String yaml) {
        return DefinitionParser.parse(yaml, "g.yaml");
    }

    static Definition.Model model(String yaml) {
        return parse(yaml).models().values().iterator().next();
    }

    @Test
    void a_grid_leaves_inactive_parameters_out_and_plans_each_setting_once() {
        Definition d = parse(GRID);
        Definition.Model m = d.models().get("m");
        List<SortedMap<String, Object>> settings = SettingsSampler.settings(m, d.search(), 0);
        assertThat(settings).containsExactlyInAnyOrder(
                new TreeMap<>(Map.of("optimizer", "sgd", "momentum", 0.9)),
                new TreeMap<>(Map.of("optimizer", "sgd", "momentum", 0.99)),
                new TreeMap<>(Map.of("optimizer", "adam")));
        assertThat(GridValues.gridSize(m)).isEqualTo(3);
        assertThat(PlanSize.settings(m, d.search())).isEqualTo(3);
        assertThat(PlanSize.runs(d.models().values(), d.search())).isEqualTo(3 * 2 * 2);
        assertThat(Plan.of(d).runs()).hasSize(3 * 2 * 2);
        assertThat(Plan.of(d)).as("the same definition, the same plan").isEqualTo(Plan.of(parse(GRID)));

        Definition capped = parse(GRID.replace("method: grid,", "method: grid, trials: 2,"));
        assertThat(SettingsSampler.settings(m, capped.search(), 2)).as("a cap takes the first of the one shuffled order")
                .isEqualTo(settings.subList(0, 2));
        assertThat(PlanSize.settings(m, parse(GRID.replace("method: grid,", "method: grid, trials: 50,")).search())).isEqualTo(3);
    }

    @Test
    void grid_limit_counts_the_deduplicated_grid() {
        assertThat(Plan.of(parse(GRID.replace("seed: 5}", "seed: 5, grid_limit: 3}"))).runs()).as("4 in the plain product, 3 here")
                .hasSize(12);
        try {
            parse(GRID.replace("seed: 5}", "seed: 5, grid_limit: 2}"));
            throw new AssertionError("a grid of 3 settings passed grid_limit 2");
        } catch (DefinitionException e) {
            assertThat(e.problems()).singleElement().asString().contains("the grid of model 'm' has 3 settings, more than search.grid_limit (2)");
        }
    }

    /** Every distinct active setting of the plain product, by brute force: what the grid must be. */
    @Test
    void a_grid_is_the_plain_product_with_inactive_parameters_dropped_and_duplicates_removed_transitively() {
        String yaml = """
                name: g
                objective: {metric: acc, goal: maximize}
                datasets: [a]
                models:
                  m:
                    datasets: [a]
                    params:
                      optimizer: [sgd, adam, rmsprop]
                      nesterov: {values: [true, false], when: {optimizer: sgd}}
                      dampening: {distribution: q_uniform, min: 0, max: 0.2, q: 0.1, when: {nesterov: false}}
                      beta2: {values: [0.99, 0.999], when: {optimizer: [adam, rmsprop]}}
                      width: [16, 32]
                      epochs: 5
                      fused: {value: true, when: {optimizer: adam}}
                search: {method: grid, seed: 9}
                """;
        Definition d = parse(yaml);
        Definition.Model m = d.models().get("m");
        List<Map.Entry<String, Space>> params = new ArrayList<>(m.params().entrySet());
        Set<SortedMap<String, Object>> expected = new HashSet<>();
        product(params, 0, new TreeMap<>(), m, expected);
        // sgd: nesterov true (1) or false x dampening 0, 0.1, 0.2 (3); adam, rmsprop: beta2 (2 each): 8, times width 2
        assertThat(expected).hasSize(16);
        List<SortedMap<String, Object>> grid = SettingsSampler.settings(m, d.search(), 0);
        assertThat(grid).hasSize(16).doesNotHaveDuplicates();
        assertThat(new HashSet<>(grid)).isEqualTo(expected);
        assertThat(GridValues.gridSize(m)).isEqualTo(16);
    }

    private static void product(List<Map.Entry<String, Space>> params, int i, TreeMap<String, Object> partial,
                                Definition.Model m, Set<SortedMap<String, Object>> out) {
        if (i == params.size()) {
            out.add(new TreeMap<>(m.activeOnly(partial)));
            return;
        }
        for (Object v : GridValues.of(params.get(i).getValue())) {
            partial.put(params.get(i).getKey(), v);
            product(params, i + 1, partial, m, out);
        }
        partial.remove(params.get(i).getKey());
    }

    @Test
    void a_grid_without_conditions_is_the_product_in_the_order_it_always_had() {
        // Pinned from the planner before conditions existed (commit 423c84a): the first of 18, seed 5.
        Definition d = parse(GRID.replace("optimizer: [sgd, adam]", "optimizer: [sgd, adam, rmsprop]")
                .replace("momentum: {values: [0.9, 0.99], when: {optimizer: sgd}}",
                        "momentum: [0.9, 0.99]\n      width: {distribution: int_uniform, min: 1, max: 3}"));
        Definition.Model m = d.models().get("m");
        assertThat(GridValues.gridSize(m)).isEqualTo(18);
        assertThat(SettingsSampler.settings(m, d.search(), 0)).hasSize(18).extracting(Object::toString).startsWith(
                "{momentum=0.9, optimizer=rmsprop, width=1}", "{momentum=0.9, optimizer=sgd, width=3}",
                "{momentum=0.9, optimizer=adam, width=3}", "{momentum=0.99, optimizer=adam, width=3}",
                "{momentum=0.99, optimizer=adam, width=2}", "{momentum=0.99, optimizer=adam, width=1}");
    }

    static final String RANDOM = """
            name: r
            objective: {metric: acc, goal: maximize}
            datasets: [a]
            models:
              m:
                datasets: [a]
                params:
                  optimizer: [sgd, adam]
                  momentum: {distribution: uniform, min: 0.8, max: 0.99, when: {optimizer: sgd}}
                  lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-1}
            search: {method: random, trials: 2000, seed: 4}
            """;

    @Test
    void random_and_quasi_random_draw_every_parameter_then_drop_the_inactive_ones() {
        for (String method : List.of("random", "quasi-random")) {
            String yaml = RANDOM.replace("method: random", "method: " + method);
            Definition d = parse(yaml);
            List<SortedMap<String, Object>> settings = SettingsSampler.settings(d.models().get("m"), d.search(), 2000);
            Definition plain = parse(yaml.replace(", when: {optimizer: sgd}}", "}"));
            List<SortedMap<String, Object>> unconditional = SettingsSampler.settings(plain.models().get("m"), plain.search(), 2000);

            List<Double> momenta = new ArrayList<>();
            int sgd = 0;
            for (int k = 0; k < settings.size(); k++) {
                SortedMap<String, Object> s = settings.get(k);
                SortedMap<String, Object> u = unconditional.get(k);
                assertThat(s.get("lr")).as(method + ": the other parameters are drawn as without the condition").isEqualTo(u.get("lr"));
                assertThat(s.get("optimizer")).isEqualTo(u.get("optimizer"));
                if (s.get("optimizer").equals("sgd")) {
                    sgd++;
                    assertThat(s).containsOnlyKeys("optimizer", "momentum", "lr");
                    assertThat(s.get("momentum")).isEqualTo(u.get("momentum"));
                    momenta.add((Double) s.get("momentum"));
                } else {
                    assertThat(s).as(method + ": momentum is absent under adam").containsOnlyKeys("optimizer", "lr");
                }
            }
            // 2000 fair coin flips: sd 22 around 1000
            assertThat(sgd).as(method + ": optimizer still about half sgd").isBetween(900, 1100);
            double mean = momenta.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            // uniform on [0.8, 0.99] among ~1000 draws: mean 0.895, sd of the mean 0.0017
            assertThat(mean).as(method + ": momentum keeps its own distribution among sgd trials").isBetween(0.888, 0.902);
            assertThat(momenta.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isBetween(0.8, 0.81);
            assertThat(momenta.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isBetween(0.98, 0.99);
            long lowHalf = momenta.stream().filter(x -> x < 0.895).count();
            assertThat((double) lowHalf / momenta.size()).as(method + ": half below the middle").isBetween(0.44, 0.56);
        }
    }

    @Test
    void a_random_trial_alone_drops_its_inactive_parameters_too() {
        Definition d = parse(RANDOM);
        Definition.Model m = d.models().get("m");
        List<SortedMap<String, Object>> all = SettingsSampler.settings(m, d.search(), 50);
        for (int k = 0; k < 50; k++) {
            assertThat(SettingsSampler.random(m, d.search().seed(), k)).isEqualTo(all.get(k));
        }
    }

    @Test
    void tpe_learns_each_parameter_from_the_trials_it_was_active_in_and_suggests_it_only_where_active() {
        Definition.Model m = model(RANDOM.replace("method: random, trials: 2000", "method: tpe, trials: 100"));
        Definition d = parse(RANDOM);
        // Half the history has no momentum (adam); among sgd trials a high momentum is best.
        List<Tpe.Observation> history = new ArrayList<>();
        for (SortedMap<String, Object> s : SettingsSampler.settings(m, d.search(), 40)) {
            double value = s.get("optimizer").equals("sgd") ? (Double) s.get("momentum") : 0.5;
            history.add(new Tpe.Observation(s, Tpe.State.COMPLETE, value, 10, null));
        }
        assertThat(history).anyMatch(o -> !o.params().containsKey("momentum")).anyMatch(o -> o.params().containsKey("momentum"));
        List<Double> momenta = new ArrayList<>();
        int adam = 0;
        for (long seed = 0; seed < 60; seed++) {
            SortedMap<String, Object> s = Tpe.suggest(m, true, history, seed).params();
            if (s.get("optimizer").equals("sgd")) {
                assertThat(s).containsOnlyKeys("optimizer", "momentum", "lr");
                momenta.add((Double) s.get("momentum"));
            } else {
                adam++;
                assertThat(s).containsOnlyKeys("optimizer", "lr");
            }
        }
        assertThat(momenta).as("the good trials are all sgd").hasSizeGreaterThan(adam);
        double mean = momenta.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(mean).as("momentum learnt from the sgd trials: above the prior's 0.895").isGreaterThan(0.93);

        List<Tpe.Observation> adamBest = history.stream().map(o -> new Tpe.Observation(o.params(), Tpe.State.COMPLETE,
                o.params().get("optimizer").equals("adam") ? 1.0 : o.value() - 0.5, 10, null)).toList();
        int adamChosen = 0;
        for (long seed = 0; seed < 60; seed++) {
            SortedMap<String, Object> a = Tpe.suggest(m, true, adamBest, seed).params();
            if (a.get("optimizer").equals("adam")) {
                adamChosen++;
                assertThat(a).as("momentum is absent where adam is suggested").containsOnlyKeys("optimizer", "lr");
            } else {
                assertThat(a).containsOnlyKeys("optimizer", "momentum", "lr");
            }
        }
        assertThat(adamChosen).as("the good trials are all adam now").isGreaterThan(30);

        List<Tpe.Observation> noMomentumAtAll = history.stream()
                .filter(o -> !o.params().containsKey("momentum")).toList();
        SortedMap<String, Object> s = Tpe.suggest(m, true, noMomentumAtAll, 3).params();
        assertThat(s).as("a parameter never seen active is drawn from its prior where it is active")
                .containsKey("optimizer");
        if (s.get("optimizer").equals("sgd")) {
            assertThat((Double) s.get("momentum")).isBetween(0.8, 0.99);
        }
    }

    @Test
    void forty_switches_are_refused_as_too_large_a_grid_in_a_moment() {
        // 2^40 combinations of the switches: counting them one by one would never end.
        StringBuilder params = new StringBuilder();
        StringBuilder when = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            params.append("      s").append(i).append(": [a, b]\n");
            when.append(i == 0 ? "" : ", ").append("s").append(i).append(": a");
        }
        String yaml = GRID.replace("      optimizer: [sgd, adam]\n", params.toString())
                .replace("{optimizer: sgd}", "{" + when + "}");
        long start = System.nanoTime();
        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                .singleElement().asString().contains("the grid of model 'm' has too many settings, more than search.grid_limit"));
        assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(5);
        Definition random = parse(yaml.replace("method: grid,", "method: random, trials: 3,"));
        assertThat(SettingsSampler.settings(random.models().get("m"), random.search(), 3)).hasSize(3);
    }

    @Test
    void a_condition_on_a_continuous_parameter_is_refused() {
        assertThatThrownBy(() -> parse(GRID.replace("optimizer: [sgd, adam]", "optimizer: {distribution: uniform, min: 0, max: 1}")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.contains("a condition can only name a constant or a categorical one")));
    }
}
