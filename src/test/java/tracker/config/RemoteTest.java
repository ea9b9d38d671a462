package tracker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tracker.ExitCode;
import tracker.TrackerException;

/** Where remote mode's URL and key come from, and the mistakes it refuses. */
class RemoteTest {
    @TempDir
    Path home;

    Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        m.put("HOME", home.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    void config(String yaml) throws IOException {
        Path dir = home.resolve(".config/tracker");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    static ExitCode codeOf(Runnable r) {
        try {
            r.run();
            return ExitCode.OK;
        } catch (TrackerException e) {
            return e.exitCode();
        }
    }

    @Test
    void no_url_means_the_database() {
        assertThat(Remote.resolve(null, null, null, env())).isNull();
        assertThat(Remote.resolve(null, null, null, env("TRACKER_URI", "mongodb://h/"))).isNull();
    }

    @Test
    void option_over_environment_over_config_file() throws IOException {
        config("url: http://from-config:1/\n");
        Map<String, String> e = env("TRACKER_API_KEY", "k");
        assertThat(Remote.resolve(null, null, null, e).url().toString()).isEqualTo("http://from-config:1/");
        e.put("TRACKER_URL", "http://from-env:2");
        Remote r = Remote.resolve(null, null, null, e);
        assertThat(r.url().toString()).isEqualTo("http://from-env:2/");
        assertThat(r.urlSource()).isEqualTo("TRACKER_URL");
        assertThat(r.hostPort()).isEqualTo("from-env:2");
        assertThat(Remote.resolve("https://opt/prefix", null, null, e).url().toString()).isEqualTo("https://opt/prefix/");
        assertThat(Remote.resolve("https://opt", null, null, e).hostPort()).isEqualTo("opt:443");
    }

    @Test
    void a_uri_and_a_url_at_one_level_or_as_an_option_are_refused_else_the_higher_wins() throws IOException {
        Map<String, String> both = env("TRACKER_API_KEY", "k", "TRACKER_URL", "http://h:1", "TRACKER_URI", "mongodb://m/");
        assertThatThrownBy(() -> Remote.resolve(null, null, null, both)).isInstanceOf(TrackerException.class)
                .hasMessageContaining("TRACKER_URI").hasMessageContaining("TRACKER_URL");
        assertThat(codeOf(() -> Remote.resolve(null, "mongodb://m/", null, env("TRACKER_API_KEY", "k", "TRACKER_URL", "http://h:1"))))
                .isEqualTo(ExitCode.USAGE);
        config("uri: mongodb://m/\n");
        assertThat(Remote.resolve(null, null, null, env("TRACKER_API_KEY", "k", "TRACKER_URL", "http://h:1"))).isNotNull();
        config("url: http://h:1/\n");
        assertThat(Remote.resolve(null, null, null, env("TRACKER_API_KEY", "k", "TRACKER_URI", "mongodb://m/"))).isNull();
        assertThat(codeOf(() -> Remote.resolve(null, null, "db", env("TRACKER_API_KEY", "k")))).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void the_key_comes_from_the_environment_or_a_file_and_never_shows() throws IOException {
        Path keyFile = home.resolve("key");
        Files.writeString(keyFile, "trk_secret\n");
        config("url: http://h:1/\napi_key_file: key\n"); // relative to the config file's directory
        Files.copy(keyFile, home.resolve(".config/tracker/key"));
        Remote fromConfig = Remote.resolve(null, null, null, env());
        assertThat(fromConfig.key().bearer()).isEqualTo("Bearer trk_secret");
        assertThat(fromConfig.toString()).doesNotContain("trk_secret");
        assertThat(Remote.resolve(null, null, null, env("TRACKER_API_KEY_FILE", keyFile.toString())).keySource())
                .contains("TRACKER_API_KEY_FILE");
        assertThat(Remote.resolve(null, null, null, env("TRACKER_API_KEY", "trk_env")).key().bearer()).isEqualTo("Bearer trk_env");
        assertThatThrownBy(() -> Remote.resolve(null, null, null, env("TRACKER_API_KEY_FILE", home.resolve("missing").toString())))
                .hasMessageContaining("does not exist");
        config("url: http://h:1/\n");
        assertThatThrownBy(() -> Remote.resolve(null, null, null, env())).hasMessageContaining("no API key");
    }

    @Test
    void a_url_that_is_not_one_is_a_usage_error_naming_where_it_came_from() {
        for (String bad : new String[] {"h:1", "ftp://h/", "http://user:pw@h/", "http://h/?key=x"}) {
            assertThatThrownBy(() -> Remote.resolve(null, null, null, env("TRACKER_API_KEY", "k", "TRACKER_URL", bad)))
                    .isInstanceOf(TrackerException.class).hasMessageContaining("TRACKER_URL is not a tracker serve URL")
                    .satisfies(e -> assertThat(((TrackerException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        }
    }

    @Test
    void the_key_itself_in_the_config_file_is_refused() throws IOException {
        config("url: http://h:1/\napi_key: trk_secret\n");
        assertThatThrownBy(() -> Remote.resolve(null, null, null, env())).hasMessageContaining("api_key_file")
                .hasMessageNotContaining("trk_secret");
    }
}
