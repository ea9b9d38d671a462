package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RunQueryTest {
    static final RunQuery.Vocabulary V = new RunQuery.Vocabulary(List.of("mlp", "softmax"), List.of("iris", "wine"),
            List.of("pending", "running", "completed", "failed", "cancelled"), List.of("hidden", "lr", "opt"));

    static RunRow run(String model, String dataset, String status, int trial, Map<String, Object> params, Double objective) {
        return new RunRow("e@1/" + model + "/" + dataset + "/" + trial, model, dataset, trial, 0, 7L, status, 1, params, objective,
                objective, 3L, 12.5, objective == null ? null : 2L, objective);
    }

    static final RunRow A = run("mlp", "iris", "completed", 0, Map.of("hidden", 64, "lr", 0.001, "opt", "adam"), 0.9);
    static final RunRow B = run("mlp", "wine", "failed", 1, Map.of("hidden", 32, "lr", 0.05, "opt", "sgd"), null);
    static final RunRow C = run("softmax", "iris", "completed", 2, Map.of("lr", 0.01), 0.7);
    static final List<RunRow> ALL = List.of(A, B, C);

    static List<RunRow> where(String... conditions) {
        return ALL.stream().filter(RunQuery.where(List.of(conditions), V)).toList();
    }

    @Test
    void conditions_compare_numbers_as_numbers_and_text_by_equality() {
        assertThat(where("model=mlp")).containsExactly(A, B);
        assertThat(where("dataset!=iris")).containsExactly(B);
        assertThat(where("status=failed")).containsExactly(B);
        assertThat(where("params.lr<0.01")).containsExactly(A);
        assertThat(where("params.lr<=0.01")).containsExactly(A, C);
        assertThat(where("params.hidden>=64")).as("a run without the parameter never compares").containsExactly(A);
        assertThat(where("params.hidden!=64")).as("... except by !=").containsExactly(B, C);
        assertThat(where("trial=2")).containsExactly(C);
        assertThat(where("params.hidden=64.0")).as("64 = 64.0").containsExactly(A);
        assertThat(where("params.opt=adam")).containsExactly(A);
        assertThat(where("objective>0.8")).containsExactly(A);
        assertThat(where(" model = mlp ", "params.lr > 0.01")).as("spaces allowed; conditions ANDed").containsExactly(B);
        assertThat(where("objective>=-inf")).as("no objective, no match").containsExactly(A, C);
    }

    @Test
    void mistakes_say_what_is_wrong_and_what_is_known() {
        assertThatThrownBy(() -> where("modle=mlp")).hasMessageContaining("unknown field 'modle'; did you mean 'model'?")
                .hasMessageContaining("fields: run, model, dataset").hasMessageContaining("params.lr");
        assertThatThrownBy(() -> where("lr<0.1")).hasMessageContaining("did you mean 'params.lr'?");
        assertThatThrownBy(() -> where("model")).hasMessageContaining("expected FIELD OP VALUE");
        assertThatThrownBy(() -> where("model=")).hasMessageContaining("no value after '='");
        assertThatThrownBy(() -> where("params.lr<small")).hasMessageContaining("< compares numbers and 'small' is not one");
        assertThatThrownBy(() -> where("model>a")).hasMessageContaining("model is text; it takes = or !=");
        assertThatThrownBy(() -> where("model=mpl")).hasMessageContaining("no model 'mpl' in this experiment; did you mean 'mlp'?");
        assertThatThrownBy(() -> where("status=faild")).hasMessageContaining("did you mean 'failed'?");
        assertThatThrownBy(() -> RunQuery.sort("-objectiv", V)).hasMessageContaining("--sort '-objectiv': unknown field 'objectiv'; "
                + "did you mean 'objective'?");
    }

    @Test
    void sort_puts_runs_without_a_value_last_both_ways() {
        List<RunRow> up = new ArrayList<>(ALL);
        up.sort(RunQuery.sort("objective", V));
        assertThat(up).containsExactly(C, A, B);
        up.sort(RunQuery.sort("-objective", V));
        assertThat(up).containsExactly(A, C, B);
        up.sort(RunQuery.sort("-model", V));
        assertThat(up.get(0)).isEqualTo(C);
        up.sort(RunQuery.sort("params.hidden", V));
        assertThat(up).containsExactly(B, A, C);
    }

    @Test
    void the_report_keeps_only_what_it_shows_and_counts_the_rest() {
        RunsReport r = new RunsReport("e@1", "val.acc (maximize)", List.of(), x -> true, "-objective", RunQuery.sort("-objective", V), 0, 1,
                List.of("hidden", "lr", "opt"), null);
        ALL.forEach(r::accept);
        assertThat(r.rows()).containsExactly(A);
        RunsReport first = new RunsReport("e@1", "o", List.of("model=mlp"), RunQuery.where(List.of("model=mlp"), V), null, null, 0, 1, List.of(), null);
        ALL.forEach(first::accept);
        assertThat(first.rows()).containsExactly(A);
        assertThat((Map<String, Object>) first.json()).containsEntry("matched", 2L);
    }
    @Test
    void pages_by_offset_are_disjoint_and_cover_the_matched_runs_in_order() {
        List<RunRow> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(run(i % 2 == 0 ? "mlp" : "softmax", "iris", "completed", i, Map.of("lr", 0.01), i == 7 ? null : i / 10.0));
        }
        for (var order : java.util.Arrays.asList(null, RunQuery.sort("-objective", V))) {
            List<RunRow> pages = new ArrayList<>();
            for (int offset = 0; offset < 12; offset += 4) {
                RunsReport page = new RunsReport("e@1", "o", List.of(), x -> true, null, order, offset, 4, List.of(), null);
                many.forEach(page::accept);
                assertThat(page.rows()).hasSizeLessThanOrEqualTo(4);
                assertThat((Map<String, Object>) page.json()).containsEntry("matched", 10L).containsEntry("offset", offset);
                pages.addAll(page.rows());
            }
            List<RunRow> all = new ArrayList<>(many);
            if (order != null) {
                all.sort(order);
            }
            assertThat(pages).as("pages in order, each run once").containsExactlyElementsOf(all);
        }
        RunsReport past = new RunsReport("e@1", "o", List.of(), x -> true, null, null, 20, 4, List.of(), null);
        many.forEach(past::accept);
        assertThat(past.rows()).isEmpty();
        RunsReport rest = new RunsReport("e@1", "o", List.of(), x -> true, null, null, 8, null, List.of(), null);
        many.forEach(rest::accept);
        assertThat(rest.rows()).as("an offset without a limit: the rest").containsExactlyElementsOf(many.subList(8, 10));
    }
}
