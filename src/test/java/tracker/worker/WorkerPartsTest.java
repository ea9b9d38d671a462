package tracker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.protocol.TrainerLine;
import tracker.protocol.TrainerLines;
import tracker.store.Claim;

class WorkerPartsTest {
    static Claim claim(Map<String, Object> params) {
        return new Claim("e@1/mlp/iris/7", "tok", "e@1", "mlp", "iris", 2, 1, 42, 1, params, Instant.EPOCH, 60_000,
                null, null, false);
    }

    @Test
    void oom_kills_are_counted_in_this_processes_memory_cgroup_every_cgroup_above_it_and_the_machine(@TempDir Path root) throws Exception {
        Path proc = Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(proc.resolve("cgroup"), "0::/slurm/job_7/step_0\n");
        Files.writeString(root.resolve("proc/vmstat"), "pgfault 12\noom_kill 3\n");
        Path cg = root.resolve("cg");
        Path job = Files.createDirectories(cg.resolve("slurm/job_7"));
        Path step = Files.createDirectories(job.resolve("step_0"));
        Files.writeString(step.resolve("memory.events"), "low 0\nhigh 0\nmax 2\noom 0\noom_kill 0\n");
        Files.writeString(job.resolve("memory.events"), "oom 1\noom_kill 1\n");
        OomKills kills = OomKills.of(root.resolve("proc"), cg);
        OomKills.Snapshot before = kills.read();
        assertThat(before.counts()).containsEntry(step.resolve("memory.events"), 0L).containsEntry(job.resolve("memory.events"), 1L)
                .containsEntry(root.resolve("proc/vmstat"), 3L).hasSize(3);
        assertThat(OomKills.evidence(before, kills.read())).isNull();
        Files.writeString(job.resolve("memory.events"), "oom 2\noom_kill 2\n"); // the job's limit, one level up
        assertThat(OomKills.evidence(before, kills.read())).isEqualTo("oom_kill in " + job.resolve("memory.events") + " went 1 → 2");

        Files.writeString(proc.resolve("cgroup"), "5:cpu:/\n4:memory:/slurm/job_8\n");
        Path v1 = Files.createDirectories(cg.resolve("memory/slurm/job_8"));
        Files.writeString(v1.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n");
        assertThat(OomKills.of(root.resolve("proc"), cg).read().counts()).containsEntry(v1.resolve("memory.oom_control"), 4L);
        assertThat(OomKills.of(root.resolve("nothing"), root.resolve("nothing")).read().counts()).isEmpty();
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
        assertThat(t.toMap().get("truncated")).isEqualTo(true);
        assertThat(t.toMap().get("lines")).isEqualTo(6L);
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
        WorkerConsole c = new WorkerConsole(new PrintWriter(out), new PrintWriter(err), true, true, 80);
        c.progress("1/2 done");
        c.out("hello", true);
        c.done();
        assertThat(out.toString()).isEqualTo("hello\n");
        assertThat(err.toString()).isEqualTo("1/2 done\r\033[K1/2 done\r\033[K");
        StringWriter quiet = new StringWriter();
        WorkerConsole off = new WorkerConsole(new PrintWriter(new StringWriter()), new PrintWriter(quiet), false, false, 80);
        off.progress("1/2 done");
        off.note("x");
        assertThat(quiet.toString()).isEqualTo("tracker: x\n");
    }

    /** What a terminal shows after these bytes: enough of one for the worker's redraws (\\r, \\n, ESC[K, ESC[1A). */
    static String screen(String bytes) {
        List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
        int row = 0;
        int col = 0;
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            if (c == '\033') {
                String seq = bytes.startsWith("\033[K", i) ? "K" : bytes.startsWith("\033[1A", i) ? "A" : null;
                assertThat(seq).as("escape sequence at " + i).isNotNull();
                if (seq.equals("K")) {
                    rows.get(row).setLength(Math.min(col, rows.get(row).length()));
                    i += 2;
                } else {
                    row = Math.max(0, row - 1);
                    i += 3;
                }
            } else if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                row++;
                col = 0;
                if (row == rows.size()) {
                    rows.add(new StringBuilder());
                }
            } else {
                StringBuilder r = rows.get(row);
                while (r.length() < col) {
                    r.append(' ');
                }
                if (col < r.length()) {
                    r.setCharAt(col, c);
                } else {
                    r.append(c);
                }
                col++;
            }
        }
        while (rows.size() > 1 && rows.get(rows.size() - 1).isEmpty()) {
            rows.remove(rows.size() - 1); // blank rows under the text are no text
        }
        return String.join("\n", rows.stream().map(StringBuilder::toString).toList());
    }

    @Test
    void on_a_terminal_each_runs_bar_has_a_line_of_its_own_redrawn_in_place_above_the_progress_line() {
        StringWriter tty = new StringWriter(); // stdout and stderr: the same terminal
        PrintWriter w = new PrintWriter(tty);
        WorkerConsole c = new WorkerConsole(w, w, true, true, 40);
        c.progress("tracker run: 0/4 done");
        c.bar("a", "[m/d1/0]   0%|          | 0/5", false);
        c.bar("b", "[m/d1/1]  20%|##        | 1/5", false);
        c.bar("a", "[m/d1/0]  40%|####      | 2/5", false);
        assertThat(screen(tty.toString())).isEqualTo("""
                [m/d1/0]  40%|####      | 2/5
                [m/d1/1]  20%|##        | 1/5
                tracker run: 0/4 done""");
        c.out("[m/d1/1] loading data", true);
        c.bar("b", "[m/d1/1]  60%|######    | 3/5 and a tail too long for the terminal", false);
        c.barDone("a", "[m/d1/0] 100%|##########| 5/5", false);
        c.progress("tracker run: 1/4 done");
        assertThat(screen(tty.toString())).isEqualTo("""
                [m/d1/1] loading data
                [m/d1/0] 100%|##########| 5/5
                [m/d1/1]  60%|######    | 3/5 and a ta…
                tracker run: 1/4 done""");
        c.barGone("b");
        c.done();
        assertThat(screen(tty.toString())).isEqualTo("""
                [m/d1/1] loading data
                [m/d1/0] 100%|##########| 5/5""");
    }

    @Test
    void elsewhere_a_bar_is_a_plain_line_its_state_now_and_then_and_its_final_state() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        WorkerConsole c = new WorkerConsole(new PrintWriter(out), new PrintWriter(err), false, false, 80);
        c.bar("a", "[m/d1/0]  10%|#", false);
        c.bar("a", "[m/d1/0]  50%|#####", false);
        c.barDone("a", "[m/d1/0] 100%|##########", false);
        c.bar("b", "[m/d1/1]  30%|###", true);
        c.barGone("b"); // its command died mid-bar: what it showed last is kept
        assertThat(err.toString()).isEqualTo("[m/d1/0] 100%|##########\n");
        assertThat(out.toString()).isEqualTo("[m/d1/1]  30%|###\n");
    }
}
