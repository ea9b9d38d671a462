package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.testing.CliRun;
import tracker.testing.TestDatabase;
import tracker.testing.TestNames;

/** The everyday defaults: -e from TRACKER_EXPERIMENT or the config file, the database from the URI's path. */
class DefaultsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    String name;

    @BeforeEach
    void create(TestInfo info) throws IOException {
        name = TestNames.experiment(info);
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                name: %s
                objective: {metric: acc, goal: maximize}
                datasets: [iris]
                models:
                  knn: {datasets: [iris], params: {k: [1, 3]}}
                search: {method: grid, trials: 2, replicates: 1, seed: 3}
                """.formatted(name));
        CliRun.Result r = cli().run("create", f.toString());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    CliRun cli() {
        return CliRun.in(tmp).database(DB);
    }

    @Test
    void every_command_with_e_takes_it_from_TRACKER_EXPERIMENT() {
        CliRun c = cli().env("TRACKER_EXPERIMENT", name);
        for (String[] args : new String[][] {{"status"}, {"report"}, {"report", "--view", "progress"}, {"export"},
                {"requeue"}, {"next", "-o", "json"}, {"cancel"}}) {
            CliRun.Result r = c.run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
        }
    }

    @Test
    void option_beats_environment_beats_config_file_and_v_says_which_won() throws IOException {
        CliRun c = cli();
        c.config("experiment: " + name + "\n");
        CliRun.Result fromConfig = c.run("status", "-v");
        assertThat(fromConfig.code()).as(fromConfig.toString()).isZero();
        assertThat(fromConfig.err()).contains("experiment '" + name + "' (from " + tmp.resolve(".config/tracker/config.yaml"));

        c.env("TRACKER_EXPERIMENT", "no-such-experiment");
        CliRun.Result fromEnv = c.run("status", "-v");
        assertThat(fromEnv.code()).as(fromEnv.toString()).isEqualTo(7);
        assertThat(fromEnv.err()).contains("experiment 'no-such-experiment' (from TRACKER_EXPERIMENT)");

        CliRun.Result fromOption = c.run("status", "-v", "-e", name);
        assertThat(fromOption.code()).as(fromOption.toString()).isZero();
        assertThat(fromOption.err()).contains("experiment '" + name + "' (from -e)");
    }

    @Test
    void without_any_experiment_the_error_names_the_three_ways_and_starts_no_server() {
        CliRun.Result r = CliRun.in(tmp).run("report");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("which experiment?").contains("-e NAME").contains("TRACKER_EXPERIMENT")
                .contains("experiment: NAME").contains("config.yaml");
        assertThat(tmp.resolve("data/server.json")).doesNotExist();
    }

    @Test
    void a_database_named_in_the_uri_path_is_used_and_v_says_so() {
        String uri = DB.uri().replaceAll("/+$", "") + "/" + DB.name();
        CliRun c = CliRun.in(tmp).env("TRACKER_URI", uri);
        CliRun.Result r = c.run("status", "-e", name, "-v");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("database '" + DB.name() + "' (from the path of the URI from TRACKER_URI)");

        // TRACKER_DATABASE still beats the path: the experiment is not in that other database (only read, never created)
        CliRun.Result other = c.env("TRACKER_DATABASE", DB.name() + "_other").run("status", "-e", name, "-v");
        assertThat(other.code()).as(other.toString()).isEqualTo(7);
        assertThat(other.err()).contains("database '" + DB.name() + "_other' (from TRACKER_DATABASE)");
    }
}
