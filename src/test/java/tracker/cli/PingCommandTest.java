package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

class PingCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void answers_with_address_version_and_round_trip() {
        CliRun.Result r = CliRun.in(tmp).database(DB).run("ping", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        Map<String, Object> m = Json.parseObject(r.out().strip());
        assertThat(m.get("database")).isEqualTo(DB.name());
        assertThat(m.get("embedded")).isEqualTo(false);
        assertThat((String) m.get("serverVersion")).isNotBlank();
        assertThat(((Number) m.get("roundTripMillis")).doubleValue()).isPositive();

        CliRun.Result table = CliRun.in(tmp).database(DB).run("ping");
        assertThat(table.out()).contains("database    " + DB.name()).contains("round trip");
    }

    @Test
    void unreachable_server_is_exit_5_within_seconds() {
        long t0 = System.nanoTime();
        CliRun.Result r = CliRun.in(tmp).env("TRACKER_CONNECT_TIMEOUT", "1s").run("ping", "--uri", "mongodb://127.0.0.1:1/");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as(r.toString()).isEqualTo(5);
        assertThat(r.err()).startsWith("tracker: error: cannot reach MongoDB at 127.0.0.1:1;");
        assertThat(seconds).isLessThan(10);
    }

    @Test
    void the_password_never_appears_in_any_output() {
        String secret = "hunter2-Sekr3t";
        for (String uri : new String[] {
                "mongodb://alice:" + secret + "@127.0.0.1:1/?serverSelectionTimeoutMS=300",
                "mongodb://alice:" + secret + "@127.0.0.1:1/?authSource=admin&bogus_option=[",
                "mongodb://alice:" + secret + "@/",
                "mongodb://alice:" + secret + "@h1:1,/"}) {
            for (String[] extra : new String[][] {{}, {"-v"}, {"-x"}, {"-o", "json"}}) {
                String[] args = new String[2 + extra.length + 2];
                args[0] = "ping";
                System.arraycopy(extra, 0, args, 1, extra.length);
                args[1 + extra.length] = "--uri";
                args[2 + extra.length] = uri;
                args[3 + extra.length] = "-v";
                CliRun.Result r = CliRun.in(tmp).env("TRACKER_CONNECT_TIMEOUT", "300ms").run(args);
                assertThat(r.code()).as(r.toString()).isIn(2, 5);
                assertThat(r.out() + r.err()).as(r.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void malformed_uri_is_a_usage_error_naming_its_source() {
        CliRun.Result r = CliRun.in(tmp).env("TRACKER_URI", "http://example.org").run("ping");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tracker: error: malformed MongoDB URI from TRACKER_URI:");
    }

    @Test
    void database_and_uri_come_from_the_config_file() throws Exception {
        Path file = CliRun.in(tmp).config("uri: " + DB.uri() + "\ndatabase: " + DB.name() + "\n");
        CliRun.Result r = CliRun.in(tmp).run("ping", "-o", "json", "-v");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"database\":\"" + DB.name() + "\"");
        assertThat(r.err()).contains("(from " + file + ")");
    }
}
