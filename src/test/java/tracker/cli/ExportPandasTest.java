package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.DebianPackages;
import tracker.testing.TestDatabase;

/**
 * The CSV exports as a notebook reads them: Debian's pandas (installed if missing) reads both
 * forms with plain {@code read_csv}, and the columns come out with the types a researcher expects -
 * integer parameters, seeds and epochs as int64, floats as float64, times as UTC datetimes.
 */
@SuppressWarnings("unchecked")
class ExportPandasTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Debian's interpreter, where python3-pandas installs (not a python3 earlier on PATH, e.g. pyenv's). */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path PANDAS = Path.of("/usr/lib/python3/dist-packages/pandas/__init__.py");

    @TempDir
    Path tmp;

    /** Reads both exports and prints, as JSON, the dtypes and the values the test checks. */
    static final String SCRIPT = """
            import json, sys
            import pandas as pd
            runs = pd.read_csv(sys.argv[1], parse_dates=["claimed_at", "ended_at"])
            wide = pd.read_csv(sys.argv[2])
            done = runs[runs["status"] == "completed"].iloc[0]
            at2 = wide[(wide["run"] == done["run"]) & (wide["epoch"] == 2)].iloc[0]
            print(json.dumps({
                "runs": {c: str(t) for c, t in runs.dtypes.items()},
                "wide": {c: str(t) for c, t in wide.dtypes.items()},
                "claimed_year": int(done["claimed_at"].year),
                "took": (done["ended_at"] - done["claimed_at"]).total_seconds(),
                "duration": float(done["duration"]),
                "best": float(done["objective_best"]),
                "width": int(done["param.width"]),
                "test_at_2": float(at2["test.acc"]),
                "rows_of_done": int((wide["run"] == done["run"]).sum()),
                "by_width": {str(k): float(v) for k, v in wide.groupby("param.width")["val.acc"].max().items()},
            }))
            """;

    @Test
    void pandas_reads_both_csv_forms_with_integer_parameters_and_utc_times() throws Exception {
        String missing = DebianPackages.ensure(PANDAS, "python3-pandas");
        assumeTrue(missing == null, "pandas cannot be installed here: " + missing);
        Path f = tmp.resolve("pd.yaml");
        Files.writeString(f, """
                name: pd
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  m: {datasets: [x], params: {width: [16, 32], lr: [0.5]}}
                search: {method: grid}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        assertThat(cli.run("create", f.toString()).code()).isZero();
        Map<String, Object> c = Json.parseObject(cli.run("next", "-e", "pd").out().strip());
        Object width = ((Map<String, Object>) c.get("params")).get("width");
        CliRun w = CliRun.in(tmp).database(DB).env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
        assertThat(w.run("log", "--epoch", "1", "val.acc=0.6", "test.acc=0.61").code()).isZero();
        assertThat(w.run("log", "--epoch", "2", "val.acc=0.9", "test.acc=0.82").code()).isZero();
        assertThat(w.run("end", "--status", "completed", "--exit-code", "0").code()).isZero();

        Path runs = tmp.resolve("runs.csv");
        Path wide = tmp.resolve("wide.csv");
        Files.writeString(runs, export(cli, "export", "-e", "pd"));
        Files.writeString(wide, export(cli, "export", "-e", "pd", "--epochs", "--wide"));

        Map<String, Object> read = Json.parseObject(python(SCRIPT, runs.toString(), wide.toString()));
        Map<String, Object> types = (Map<String, Object>) read.get("runs");
        assertThat(types).containsEntry("param.width", "int64").containsEntry("param.lr", "float64")
                .containsEntry("seed", "int64").containsEntry("trial", "int64").containsEntry("replicate", "int64")
                .containsEntry("claimed_at", "datetime64[ns, UTC]").containsEntry("objective_best", "float64");
        assertThat((String) types.get("ended_at")).as("the pending run has no end: NaT").startsWith("datetime64[ns");
        assertThat((Map<String, Object>) read.get("wide")).containsEntry("param.width", "int64").containsEntry("epoch", "int64")
                .containsEntry("seed", "int64").containsEntry("val.acc", "float64").containsEntry("test.acc", "float64");
        assertThat(read).containsEntry("best", 0.9).containsEntry("test_at_2", 0.82).containsEntry("rows_of_done", 2L)
                .containsEntry("width", ((Number) width).longValue());
        assertThat(((Number) read.get("claimed_year")).intValue()).isGreaterThanOrEqualTo(2024);
        assertThat(((Number) read.get("took")).doubleValue()).as("the times agree with the duration column, to the millisecond")
                .isCloseTo(((Number) read.get("duration")).doubleValue(), Offset.offset(0.0015));
        assertThat((Map<String, Object>) read.get("by_width")).containsEntry(String.valueOf(width), 0.9);
    }

    private static String export(CliRun cli, String... args) {
        CliRun.Result r = cli.run(args);
        assertThat(r.code()).as(r.toString()).isZero();
        return r.out();
    }

    private static String python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
            String text = new String(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(text).isZero();
            return text.lines().reduce((a, b) -> b).orElse(""); // the JSON line (pandas may warn before it)
        } finally {
            p.destroyForcibly();
        }
    }
}
