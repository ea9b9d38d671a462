package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** Parameter values as a trainer reads them, through every way they leave tracker. */
class ParameterValuesTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void uniqueName(TestInfo info) {
        name = TestNames.experiment(info);
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    CliRun.Result ok(String... args) {
        CliRun.Result r = cli().run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    /** A grid, so every value is known: widths 16..64 and learning rates 1e-05..0.1, 20 runs. */
    void create() throws IOException {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  mlp:
                    datasets: [iris]
                    params:
                      width: {distribution: q_uniform, min: 16, max: 64, q: 16}
                      lr: {distribution: log_uniform, min: 1.0e-5, max: 0.1, points: 5}
                search: {method: grid, seed: 3}
                """.formatted(name));
        ok("create", f.toString());
    }

    @Test
    void whole_quantized_values_are_integers_and_floats_are_written_python_style_everywhere() throws IOException {
        create();
        Set<String> widths = new TreeSet<>();
        Set<String> rates = new TreeSet<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> claim = Json.parseObject(ok("next", "-e", name, "-o", "json").out().strip());
            Map<?, ?> params = (Map<?, ?>) claim.get("params");
            assertThat(params.get("width")).as("a JSON integer").isInstanceOf(Long.class);
            assertThat((String) claim.get("args")).matches("--lr=\\S+ --width=\\d+");
            ok("end", "--run", (String) claim.get("run"), "--token", (String) claim.get("token"), "--status", "completed");
        }
        for (int i = 0; i < 2; i++) {
            String env = ok("next", "-e", name, "-o", "env").out();
            String width = value(env, "TRACKER_PARAM_WIDTH");
            String lr = value(env, "TRACKER_PARAM_LR");
            widths.add(width);
            rates.add(lr);
            assertThat(env).contains("export TRACKER_ARGS='--lr=" + lr + " --width=" + width + "'");
            ok("end", "--run", value(env, "TRACKER_RUN"), "--token", value(env, "TRACKER_TOKEN"), "--status", "completed");
        }
        assertThat(widths).isSubsetOf("16", "32", "48", "64");
        assertThat(rates).isSubsetOf("1e-05", "0.0001", "0.001", "0.01", "0.1");

        String csv = ok("export", "-e", name, "-o", "csv").out();
        assertThat(csv).as("every run, claimed or not").contains(",1e-05,16,").contains(",0.0001,32,")
                .contains(",0.1,64,").doesNotContain("E-");
        // Only the parameter columns: a timestamp such as 11:41:16.010Z holds "16.0" too.
        assertThat(columns(csv, "param.")).as("the parameter columns of the export").isNotEmpty()
                .allSatisfy(v -> assertThat(v).isIn("16", "32", "48", "64", "1e-05", "0.0001", "0.001", "0.01", "0.1"));
        String jsonl = ok("export", "-e", name, "-o", "jsonl").out();
        assertThat(jsonl).contains("\"width\":32").contains("\"lr\":1e-05").doesNotContain("E-");
        String runs = ok("report", "-e", name, "--view", "runs", "-o", "csv").out();
        assertThat(runs).contains("1e-05").doesNotContain("E-");
        assertThat(columns(runs, "param.")).as("the parameter columns of report --view runs").isNotEmpty()
                .allSatisfy(v -> assertThat(v).isIn("16", "32", "48", "64", "1e-05", "0.0001", "0.001", "0.01", "0.1"));
        assertThat(ok("report", "-e", name, "--view", "runs", "--width", "200").out()).contains("lr=1e-05").contains("width=16");
    }

    /** Every value in the CSV columns whose header starts with {@code prefix} (no value here is quoted). */
    private static List<String> columns(String csv, String prefix) {
        List<String> lines = csv.lines().toList();
        String[] header = lines.get(0).split(",", -1);
        List<String> values = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < header.length; i++) {
                if (header[i].startsWith(prefix)) values.add(cells[i]);
            }
        }
        return values;
    }

    /** The value of {@code export NAME='value'} in next -o env's output (values here need no unquoting). */
    private static String value(String env, String variable) {
        return env.lines().filter(l -> l.startsWith("export " + variable + "=")).findFirst().orElseThrow()
                .substring(("export " + variable + "=").length()).replace("'", "");
    }
}
