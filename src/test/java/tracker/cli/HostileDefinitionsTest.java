package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

/**
 * Definitions written to hurt - by mistake or not - fail at once: exit 9, the file with a line and
 * column, a hint, no stack trace, nothing stored, and no minute-long planning or parsing first.
 */
class HostileDefinitionsTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Generous for a loaded 2-core machine; what is refused here once took minutes or the whole heap. */
    static final Duration QUICKLY = Duration.ofSeconds(5);

    static final String BASE = """
            name: hostile
            objective: {metric: acc, goal: maximize}
            datasets: [a, b]
            models:
              m: {datasets: [a, b], params: {lr: [0.1, 0.2]}}
            """;

    @TempDir
    Path tmp;

    static Stream<Arguments> definitions() {
        String laughs = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (int i = 1; i <= 5; i++) {
            laughs += "l" + i + ": &l" + i + " [" + String.join(", ", Collections.nCopies(9, "*l" + (i - 1))) + "]\n";
        }
        return Stream.of(
                Arguments.of("a billion trials", text(BASE + "search: {trials: 1000000000}\n"), "plans 2,000,000,000 runs, more than search.run_limit"),
                Arguments.of("a billion replicates", text(BASE + "search: {replicates: 1000000000}\n"), "plans 2,000,000,000 runs"),
                Arguments.of("five million trials", text(BASE + "search: {trials: 5000000}\n"), "plans 10,000,000 runs"),
                Arguments.of("a trillion trials", text(BASE + "search: {trials: 1000000000000}\n"), "search.trials is too large: 1000000000000"),
                Arguments.of("trials beyond a long", text(BASE + "search: {trials: 99999999999999999999999}\n"), "search.trials is too large"),
                Arguments.of("a recursive alias", text(BASE + "x: &x {y: *x}\n"), "contains itself through an alias"),
                Arguments.of("a 50 MB scalar", text("name: big\ndescription: " + "x".repeat(50_000_000) + "\n"), "larger than 1 MiB"),
                Arguments.of("latin-1 text", "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1), "1:10: the file is not UTF-8 text"),
                Arguments.of("UTF-16 text", BASE.getBytes(StandardCharsets.UTF_16), "the file is UTF-16 text"),
                Arguments.of("a billion laughs", text("lols:\n" + laughs.indent(2) + BASE), "aliases copy too much"),
                Arguments.of("one long scalar aliased many times", text("description: &d " + "x".repeat(200_000) + "\ntags: ["
                        + String.join(", ", Collections.nCopies(10, "*d")) + "]\n" + BASE), "aliases copy too much"),
                Arguments.of("51 aliases of a list", text("y: &y [1]\nx: [" + String.join(", ", Collections.nCopies(51, "*y")) + "]\n"),
                        "max=50"),
                Arguments.of("deep nesting", text("name: " + "[".repeat(100_000) + "\n"), "Nesting Depth exceeded"),
                Arguments.of("a NUL byte", text("name: x\u0000y\n"), "not valid YAML"),
                Arguments.of("a grid of a quadrillion", text(BASE.replace("[0.1, 0.2]", "{distribution: int_uniform, min: 1, max: 1e15}")
                        + "search: {method: grid}\n"), "more than search.grid_limit"),
                Arguments.of("a grid beyond a long", text(BASE.replace("lr: [0.1, 0.2]",
                        "x: {distribution: int_uniform, min: -4e15, max: 4e15}, y: {distribution: int_uniform, min: -4e15, max: 4e15}")
                        + "search: {method: grid}\n"), "has too many settings"),
                Arguments.of("a step too small for its range", text(BASE.replace("[0.1, 0.2]",
                        "{distribution: q_uniform, min: 0, max: 1e300, q: 1e-300}") + "search: {method: grid}\n"), "is too small"),
                Arguments.of("a priority beyond an int", text(BASE + "runs: {priority: 1e12}\n"), "runs.priority is too large"),
                Arguments.of("a lease of centuries", text(BASE + "runs: {lease: 100000d}\n"), "runs.lease is too large"),
                Arguments.of("a grid limit beyond an int", text(BASE + "search: {method: grid, grid_limit: 1e10}\n"), "search.grid_limit is too large"));
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void is_refused_at_once_with_its_place_and_no_stack_trace(String what, byte[] content, String expected) throws IOException {
        Path file = tmp.resolve("hostile.yaml");
        Files.write(file, content);
        for (String[] args : new String[][] {{"create", file.toString()}, {"create", file.toString(), "--dry-run"}}) {
            long start = System.nanoTime();
            CliRun.Result r = CliRun.in(tmp).database(DB).run(args);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.code()).as(what + ": " + r).isEqualTo(9);
            assertThat(r.err()).as(what).contains(expected)
                    .containsPattern(Pattern.quote(file.toString()) + ":\\d+:\\d+: ")
                    .contains("hint:")
                    .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Error:");
            assertThat(r.err().lines().count()).as(what + ": one line\n" + r.err()).isLessThanOrEqualTo(2);
            assertThat(took).as(what).isLessThan(QUICKLY);
        }
        assertThat(DB.mongo().getCollection("experiments").countDocuments()).as("nothing stored").isZero();
        assertThat(DB.mongo().getCollection("runs").countDocuments()).isZero();
    }
}
