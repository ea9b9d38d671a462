package tracker.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The rules the dashboard's files keep so that data can never become code, checked on the files
 * themselves (DashboardBrowserTest checks the pages' behaviour): no HTML parsing of strings, no
 * eval, no inline script or style the Content-Security-Policy would refuse, nothing loaded from
 * another site.
 */
class DashboardFilesTest {
    static final Path DIR = Path.of("src/main/resources/tracker/dashboard");

    @Test
    void scripts_never_turn_strings_into_markup_or_code() throws IOException {
        Pattern forbidden = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function\\("
                + "|setAttribute\\(\\s*['\"]style|setAttribute\\(\\s*['\"]on|\\.cssText");
        List<Path> scripts = files(".js");
        assertThat(scripts).isNotEmpty();
        for (Path f : scripts) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContainPattern(forbidden);
        }
    }

    @Test
    void the_page_has_no_inline_script_or_style_and_loads_nothing_from_elsewhere() throws IOException {
        String html = Files.readString(DIR.resolve("index.html"));
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>"); // every script from a file
        assertThat(html).doesNotContainPattern("(?i)\\sstyle=|<style|\\son[a-z]+=");
        for (Path f : files("")) {
            String text = Files.readString(f).replace("http://www.w3.org/2000/svg", "");
            assertThat(text).as(f.toString()).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");
        }
    }

    @Test
    void a_native_executable_carries_the_dashboard_and_the_uplot_version_it_serves() throws IOException {
        String config = Files.readString(Path.of("src/main/resources/META-INF/native-image/dev.tracker/dashboard/resource-config.json"));
        List<String> patterns = ((List<?>) ((java.util.Map<?, ?>) tracker.json.Json.parseObject(config).get("resources")).get("includes"))
                .stream().map(i -> (String) ((java.util.Map<?, ?>) i).get("pattern")).toList();
        assertThat(patterns).anyMatch(p -> p.startsWith("\\Q" + Dashboard.UPLOT + "\\E"))
                .anyMatch(p -> Pattern.compile(p).matcher("tracker/dashboard/app.js").matches());
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
