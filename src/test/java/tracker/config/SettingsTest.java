package tracker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.ExitCode;
import tracker.TrackerException;

class SettingsTest {
    @TempDir
    Path home;

    Map<String, String> env;

    @BeforeEach
    void setUp() {
        env = new HashMap<>();
        env.put("HOME", home.toString());
    }

    private Path config(String yaml) throws IOException {
        Path file = home.resolve(".config/tracker/config.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void nothing_configured_means_the_embedded_database_under_local_share() {
        Settings s = Settings.resolve(null, null, env);
        assertThat(s.embedded()).isTrue();
        assertThat(s.database()).isEqualTo("tracker");
        assertThat(s.home()).isEqualTo(home.resolve(".local/share/tracker"));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void option_beats_environment_beats_config_file() throws IOException {
        config("uri: mongodb://from-config/\ndatabase: cfgdb\n");
        assertThat(Settings.resolve(null, null, env).uri()).isEqualTo("mongodb://from-config/");
        assertThat(Settings.resolve(null, null, env).database()).isEqualTo("cfgdb");
        assertThat(Settings.resolve(null, null, env).uriSource()).endsWith("config.yaml");

        env.put("TRACKER_URI", "mongodb://from-env/");
        env.put("TRACKER_DATABASE", "envdb");
        assertThat(Settings.resolve(null, null, env).uri()).isEqualTo("mongodb://from-env/");
        assertThat(Settings.resolve(null, null, env).database()).isEqualTo("envdb");
        assertThat(Settings.resolve(null, null, env).uriSource()).isEqualTo("TRACKER_URI");

        Settings s = Settings.resolve("mongodb://from-option/", "optdb", env);
        assertThat(s.uri()).isEqualTo("mongodb://from-option/");
        assertThat(s.database()).isEqualTo("optdb");
        assertThat(s.uriSource()).isEqualTo("--uri");
    }

    @Test
    void the_uri_path_names_the_database_below_option_and_environment_above_config() throws IOException {
        config("uri: mongodb://u:p%2Fq@h1:27017,h2/fromconfiguri?replicaSet=rs\ndatabase: cfgdb\n");
        Settings s = Settings.resolve(null, null, env);
        assertThat(s.database()).isEqualTo("fromconfiguri");
        assertThat(s.databaseSource()).startsWith("the path of the URI from ").endsWith("config.yaml");

        assertThat(Settings.resolve("mongodb://h/?w=majority", null, env).database()).isEqualTo("cfgdb");
        assertThat(Settings.resolve("mongodb://h", null, env).databaseSource()).endsWith("config.yaml");
        assertThat(Settings.resolve("mongodb+srv://c.example.net/lab%2Dx", null, env).database()).isEqualTo("lab-x");
        assertThat(Settings.resolve("mongodb://h/fromoption", null, env).databaseSource()).isEqualTo("the path of the URI from --uri");

        env.put("TRACKER_DATABASE", "envdb");
        assertThat(Settings.resolve("mongodb://h/fromoption", null, env).database()).isEqualTo("envdb");
        assertThat(Settings.resolve("mongodb://h/fromoption", "optdb", env).database()).isEqualTo("optdb");
        assertThat(Settings.resolve("mongodb://h/fromoption", "optdb", env).databaseSource()).isEqualTo("--database");
    }

    @Test
    void nothing_named_means_the_default_database() {
        assertThat(Settings.resolve(null, null, env).databaseSource()).isEqualTo("the default");
    }

    @Test
    void the_experiment_comes_from_the_option_the_environment_or_the_config_file() throws IOException {
        assertThatThrownBy(() -> Settings.experiment(null, env)).isInstanceOf(TrackerException.class)
                .hasMessageContaining("which experiment").extracting(e -> ((TrackerException) e).exitCode()).isEqualTo(ExitCode.USAGE);
        Path file = config("experiment: fromconfig\n");
        assertThat(Settings.experiment(null, env)).isEqualTo(new Settings.Experiment("fromconfig", file.toString()));
        env.put("TRACKER_EXPERIMENT", "fromenv");
        assertThat(Settings.experiment(null, env)).isEqualTo(new Settings.Experiment("fromenv", "TRACKER_EXPERIMENT"));
        assertThat(Settings.experiment("fromoption", env)).isEqualTo(new Settings.Experiment("fromoption", "-e"));
    }

    @Test
    void xdg_variables_and_tracker_home_move_the_files() throws IOException {
        env.put("XDG_DATA_HOME", home.resolve("xdg-data").toString());
        assertThat(Settings.resolve(null, null, env).home()).isEqualTo(home.resolve("xdg-data/tracker"));
        env.put("TRACKER_HOME", home.resolve("th").toString());
        assertThat(Settings.resolve(null, null, env).home()).isEqualTo(home.resolve("th"));

        Path xdgConfig = home.resolve("xdg-config/tracker/config.yaml");
        Files.createDirectories(xdgConfig.getParent());
        Files.writeString(xdgConfig, "database: viaxdg\n");
        env.put("XDG_CONFIG_HOME", home.resolve("xdg-config").toString());
        assertThat(Settings.resolve(null, null, env).database()).isEqualTo("viaxdg");
    }

    @Test
    void config_file_sets_timeouts_and_server_options() throws IOException {
        config("connect_timeout: 2s\nserver:\n  idle_timeout: 1h\n  port: 27999\n");
        Settings s = Settings.resolve(null, null, env);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(s.port()).isEqualTo(27999);
        env.put("TRACKER_SERVER_IDLE_TIMEOUT", "5m");
        assertThat(Settings.resolve(null, null, env).idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void unknown_config_key_names_file_line_column_and_the_near_miss() throws IOException {
        Path file = config("uri: mongodb://x/\ndatabse: foo\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env))
                .isInstanceOf(TrackerException.class)
                .hasMessage(file + ":2:1: unknown key 'databse' (did you mean 'database'?)")
                .extracting(e -> ((TrackerException) e).exitCode()).isEqualTo(ExitCode.INVALID);
    }

    @Test
    void bad_config_values_are_located() throws IOException {
        Path file = config("server:\n  port: 70000\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env)).hasMessageStartingWith(file + ":2:9: server.port");
        config("server:\n  idle_timeout: soon\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env)).hasMessageContaining(":2:17: server.idle_timeout must be a duration");
        config("uri: [a, b]\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env)).hasMessageContaining(":1:6: uri must be a non-empty string");
        config("uri: x\nuri: y\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env)).hasMessageContaining(":2:1: duplicate key 'uri'");
        config("uri: 'unclosed\n");
        assertThatThrownBy(() -> Settings.resolve(null, null, env)).hasMessageContaining("not valid YAML");
    }

    @Test
    void an_empty_config_file_is_no_configuration() throws IOException {
        config("# nothing yet\n");
        assertThat(Settings.resolve(null, null, env).embedded()).isTrue();
    }

    @Test
    void invalid_database_names_and_durations_in_the_environment_are_usage_errors() {
        assertThatThrownBy(() -> Settings.resolve(null, "my.db", env))
                .extracting(e -> ((TrackerException) e).exitCode()).isEqualTo(ExitCode.USAGE);
        env.put("TRACKER_CONNECT_TIMEOUT", "fast");
        assertThatThrownBy(() -> Settings.resolve(null, null, env))
                .hasMessageContaining("TRACKER_CONNECT_TIMEOUT='fast' is not a duration");
    }
}
