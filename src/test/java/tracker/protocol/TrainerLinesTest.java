package tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TrainerLinesTest {
    @Test
    void metric_values_and_a_checkpoint_on_one_line_are_both_kept() {
        TrainerLine l = TrainerLines.parse("{\"epoch\": 2, \"val\": {\"acc\": 0.5}, \"checkpoint\": \"/ck/2\", \"note\": \"lr halved\","
                + " \"artifacts\": {\"model\": \"s3://b/m\"}}");
        assertThat(l.values()).isEqualTo(new MetricValues(2L, null, Map.of("val", Map.of("acc", 0.5))));
        assertThat(l.checkpoint()).isEqualTo("/ck/2");
        assertThat(l.note()).isEqualTo("lr halved");
        assertThat(l.artifacts()).containsEntry("model", "s3://b/m");
    }

    @Test
    void a_line_may_carry_a_step_within_or_instead_of_the_epoch_and_progress() {
        TrainerLine within = TrainerLines.parse("{\"epoch\": 2, \"step\": 1500, \"progress\": 0.25, \"train.loss\": 2.1}");
        assertThat(within.values()).isEqualTo(new MetricValues(2L, 1500L, Map.of("train", Map.of("loss", 2.1))));
        assertThat(within.progress()).isEqualTo(0.25);
        TrainerLine plain = TrainerLines.parse("step=7 progress=1 train.loss=nan");
        assertThat(plain.values().epoch()).isNull();
        assertThat(plain.values().step()).isEqualTo(7L);
        assertThat(plain.values().phases().get("train").get("loss")).isNaN();
        assertThat(plain.progress()).isEqualTo(1.0);
        TrainerLine progressOnly = TrainerLines.parse("{\"progress\": 0.5}");
        assertThat(progressOnly.values()).isNull();
        assertThat(progressOnly.progress()).isEqualTo(0.5);
    }

    @Test
    void what_is_an_error() {
        assertThatThrownBy(() -> TrainerLines.parse("{\"step\": 1.5, \"train.loss\": 1}")).hasMessageContaining("step must be a whole number");
        assertThatThrownBy(() -> TrainerLines.parse("{\"step\": -1, \"train.loss\": 1}")).hasMessageContaining("from 0 to");
        assertThatThrownBy(() -> TrainerLines.parse("{\"epoch\": 1, \"progress\": 1.5}")).hasMessageContaining("progress must be a number from 0 to 1");
        assertThatThrownBy(() -> TrainerLines.parse("{\"progress\": \"0.5\"}")).hasMessageContaining("without quotes");
        assertThatThrownBy(() -> TrainerLines.parse("{\"step\": 3}")).hasMessageContaining("no metric values besides the step");
        assertThatThrownBy(() -> TrainerLines.parse("{}")).hasMessageContaining("no metric values, progress, checkpoint");
        assertThatThrownBy(() -> TrainerLines.parse("{\"train.loss\": 1}")).hasMessageContaining("need an \"epoch\" or a \"step\"");
        assertThatThrownBy(() -> TrainerLines.parse("epoch=1 epoch=2 val.acc=1")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> TrainerLines.parse("{\"checkpoint\": 3}")).hasMessageContaining("\"checkpoint\" must be a non-empty string");
        assertThatThrownBy(() -> TrainerLines.parse("{\"artifacts\": [\"a\"]}")).hasMessageContaining("NAME: URI");
    }

    @Test
    void lines_for_tracker_are_json_objects_and_plain_words_starting_with_epoch_or_step() {
        assertThat(TrainerLines.isFor("  {\"epoch\": 1}")).isTrue();
        assertThat(TrainerLines.isFor("epoch=1 val.acc=1")).isTrue();
        assertThat(TrainerLines.isFor("step=1 train.loss=1")).isTrue();
        assertThat(TrainerLines.isFor("Epoch 3: loss 0.4")).isFalse();
        assertThat(TrainerLines.isFor("progress=0.5")).isFalse();
        assertThat(TrainerLines.isFor(" 45%|####      | 45/100 [00:01<00:01]")).isFalse();
    }
}
