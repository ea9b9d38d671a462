package tracker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tracker.protocol.TrainerLine;
import tracker.protocol.TrainerLines;
import tracker.store.Claim;

class WorkerPartsTest {
    static Claim claim(Map<String, Object> params) {
        return new Claim("e@1/mlp/iris/7", "tok", "e@1", "mlp", "iris", 2, 1, 42, 1, params, Instant.EPOCH, 60_000,
                null, null, false);
    }

    @Test
    void words_split_like_a_shell_quotes_them_and_nothing_more() {
        assertThat(Words.split("java  Train.java --x 'a b' \"c \\\"d\\\"\" e\\ f $HOME;ls"))
                .containsExactly("java", "Train.java", "--x", "a b", "c \"d\"", "e f", "$HOME;ls");
        assertThat(Words.split("x '' y")).containsExactly("x", "", "y");
        assertThatThrownBy(() -> Words.split("python 'train.py")).hasMessageContaining("single quote at character 8 is never closed");
    }

    @Test
    void placeholders_are_filled_inside_their_word_and_args_becomes_one_word_per_parameter() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", 0.01);
        params.put("hidden", 64L);
        params.put("name", "a b; rm -rf /");
        Invocation.Template t = Invocation.Template.ofText("train --model={model} --data {dataset.path} --seed {seed} {args} --tag={run}:{param.name}");
        Invocation inv = Invocation.of(t, claim(params), Map.of("path", "data/iris.csv"), Map.of("PATH", "/bin"));
        assertThat(inv.argv()).containsExactly("train", "--model=mlp", "--data", "data/iris.csv", "--seed", "42",
                "--lr=0.01", "--hidden=64", "--name=a b; rm -rf /", "--tag=e@1/mlp/iris/7:a b; rm -rf /");
        assertThat(inv.env()).containsEntry("TRACKER_RUN", "e@1/mlp/iris/7").containsEntry("TRACKER_TOKEN", "tok")
                .containsEntry("TRACKER_PARAM_HIDDEN", "64").containsEntry("TRACKER_DATASET_PATH", "data/iris.csv")
                .containsEntry("TRACKER_ARGS", "--lr=0.01 --hidden=64 '--name=a b; rm -rf /'").containsEntry("PATH", "/bin")
                .containsEntry("TRACKER_CHECKPOINT", "");
        assertThat(t.placeholders()).containsExactly("model", "dataset.path", "seed", "args", "run", "param.name");
    }

    @Test
    void trainer_lines_carry_metrics_and_checkpoints_artifacts_notes() {
        TrainerLine l = TrainerLines.parse("{\"epoch\": 2, \"val\": {\"acc\": 0.5}, \"checkpoint\": \"s3://b/ck2\"}");
        assertThat(l.values().epoch()).isEqualTo(2);
        assertThat(l.checkpoint()).isEqualTo("s3://b/ck2");
        TrainerLine only = TrainerLines.parse("{\"checkpoint\": \"/tmp/c\", \"artifacts\": {\"model\": \"/tmp/m\"}}");
        assertThat(only.values()).isNull();
        assertThat(only.artifacts()).containsEntry("model", "/tmp/m");
        assertThat(TrainerLines.parse("epoch=3 train.loss=0.4").values().count()).isEqualTo(1);
        assertThatThrownBy(() -> TrainerLines.parse("{\"checkpoint\": 3}")).isInstanceOf(TrainerLines.BadLine.class);
        assertThatThrownBy(() -> TrainerLines.parse("{\"lr\": 0.1}")).isInstanceOf(TrainerLines.BadLine.class).hasMessageContaining("phase.metric");
        assertThat(TrainerLines.isFor("Epoch 3: loss 0.4")).isFalse();
    }

    /** One of ChildOutput's readers. */
    interface LineReader {
        long read(java.io.InputStream in, int maxLine, ChildOutput.Sink sink) throws Exception;
    }

    /** What the reader makes of the text: pieces as "<first", "middle", "last>", and then the line count. */
    static List<String> pieces(LineReader reader, String text, int maxLine) throws Exception {
        List<String> got = new ArrayList<>();
        long n = reader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLine,
                (piece, first, last) -> got.add((first ? "<" : "") + piece + (last ? ">" : "")));
        got.add("lines: " + n);
        return got;
    }

    @Test
    void output_is_read_in_lines_and_overlong_lines_in_bounded_pieces() throws Exception {
        assertThat(pieces(ChildOutput::pump, "short\r\n" + "y".repeat(25) + "\nno-newline", 10))
                .containsExactly("<short>", "<yyyyyyyyyy", "yyyyyyyyyy", "yyyyy>", "<no-newline>", "lines: 3");
    }

    @Test
    void read_as_lines_a_lone_carriage_return_ends_a_line_as_in_readline() throws Exception {
        assertThat(pieces(ChildOutput::lines, "a\rb\r\nc\n\n" + "y".repeat(15) + "\rlast\r", 10))
                .containsExactly("<a>", "<b>", "<c>", "<>", "<yyyyyyyyyy", "yyyyy>", "<last>", "lines: 6");
    }

    @Test
    void a_trainer_line_that_provokes_anything_is_a_bad_line() {
        assertThatThrownBy(() -> TrainerLines.parse("{\"epoch\": 1, \"val\": " + "[".repeat(100_000)))
                .isInstanceOf(TrainerLines.BadLine.class).hasMessageContaining("nested more than");
        assertThatThrownBy(() -> TrainerLines.guarded("x", l -> {
            throw new StackOverflowError();
        })).isInstanceOf(TrainerLines.BadLine.class).hasMessage("too deeply nested to read");
        assertThatThrownBy(() -> TrainerLines.guarded("x", l -> {
            throw new IllegalStateException("odd");
        })).isInstanceOf(TrainerLines.BadLine.class).hasMessageContaining("odd");
        assertThatThrownBy(() -> TrainerLines.parse("{\"epoch\": 1, \"val\": {\"acc\": \"0.5\"}}"))
                .isInstanceOf(TrainerLines.BadLine.class).hasMessageContaining("without quotes");
    }

    @Test
    void a_progress_bar_redrawn_with_carriage_returns_passes_through_as_it_moves() throws Exception {
        assertThat(pieces(ChildOutput::pump, " 10%|#\r 50%|#####\r100%|##########\nepoch=1 val.acc=0.5\r\nlast\r", 1000))
                .containsExactly("< 10%|#\r", " 50%|#####\r", "100%|##########>", "<epoch=1 val.acc=0.5>", "<last\r>", "lines: 3");
    }

    @Test
    void the_output_tail_keeps_the_last_lines_within_its_bounds() {
        OutputTail t = new OutputTail(3, 1000);
        for (int i = 1; i <= 5; i++) {
            t.add("line " + i);
        }
        t.add("");
        assertThat(t.text()).isEqualTo("line 4\nline 5\n");
        assertThat(t.lastLine()).isEqualTo("line 5");
        assertThat(t.toDocument().getBoolean("truncated")).isTrue();
        assertThat(t.toDocument().get("lines")).isEqualTo(6L);
        OutputTail big = new OutputTail(100, 50);
        big.add("z".repeat(5000));
        assertThat(big.text()).startsWith("z".repeat(1000) + " …[4000 more characters]");
    }

    @Test
    void exit_statuses_say_what_happened() {
        assertThat(ExitStatus.describe(1)).isEqualTo("exit code 1");
        assertThat(ExitStatus.describe(137)).isEqualTo("killed by SIGKILL (exit code 137)");
        assertThat(ExitStatus.describe(139)).isEqualTo("killed by SIGSEGV (exit code 139)");
    }

    @Test
    void the_progress_line_counts_runs_names_the_runs_in_flight_and_estimates_the_time_left() {
        assertThat(ProgressText.line(72, 12, 10, Duration.ofSeconds(50), List.of(), 200))
                .isEqualTo("tracker run: 12/72 done · ~5m left");
        assertThat(ProgressText.line(72, 12, 0, Duration.ofSeconds(5), List.of(), 20)).hasSize(19).endsWith("…");
    }

    @Test
    void a_pipe_is_not_a_terminal() {
        // The test JVM's stdout and stderr are pipes to Maven: no progress line, no colour, no terminal width.
        assertThat(tracker.cli.Tty.stdoutIsTerminal()).isFalse();
        assertThat(tracker.cli.Tty.stderrIsTerminal()).isFalse();
    }

    @Test
    void the_progress_line_is_wiped_before_other_output_and_drawn_again_after_it() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        WorkerConsole c = new WorkerConsole(new PrintWriter(out), new PrintWriter(err), true, 80);
        c.progress("1/2 done");
        c.out("hello", true);
        c.done();
        assertThat(out.toString()).isEqualTo("hello\n");
        assertThat(err.toString()).isEqualTo("1/2 done\r\033[K1/2 done\r\033[K");
        StringWriter quiet = new StringWriter();
        WorkerConsole off = new WorkerConsole(new PrintWriter(new StringWriter()), new PrintWriter(quiet), false, 80);
        off.progress("1/2 done");
        off.note("x");
        assertThat(quiet.toString()).isEqualTo("tracker: x\n");
    }
}
