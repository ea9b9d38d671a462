package tracker.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a {@code -o latex} document would compile, short of running LaTeX (texlive is too large
 * to install for a test): braces and environments balanced, math closed on its line, no special
 * character where LaTeX would read it as one ({@code _ ^} outside math, {@code # ~}, a bare
 * {@code %} or {@code &} outside a table row), the booktabs rules in order, and every row of the
 * tabular with as many cells as its column specification.
 */
public final class LatexStructure {
    private static final Pattern ENVIRONMENT = Pattern.compile("\\\\(begin|end)\\{([^}]*)\\}");
    private static final Pattern TABULAR = Pattern.compile("\\\\begin\\{tabular\\}\\{([lrc]+)\\}");

    private LatexStructure() {
    }

    public static void assertSound(String latex) {
        List<String> lines = latex.lines().filter(l -> !l.startsWith("%")).toList();
        assertThat(latex).as("ends with a line break").endsWith("\n");
        for (String required : List.of("\\begin{table}", "\\centering", "\\caption[{", "\\label{tab:", "\\begin{tabular}", "\\toprule",
                "\\midrule", "\\bottomrule", "\\end{tabular}", "\\end{table}")) {
            assertThat(latex).as("has " + required + ":\n" + latex).contains(required);
        }
        assertThat(latex.indexOf("\\toprule")).as("rules in order").isLessThan(latex.indexOf("\\midrule"));
        assertThat(latex.indexOf("\\midrule")).as("rules in order").isLessThan(latex.indexOf("\\bottomrule"));
        environments(latex, lines);
        int columns = columns(latex);
        boolean inTabular = false;
        int depth = 0;
        for (String line : lines) {
            if (line.startsWith("\\begin{tabular}")) {
                inTabular = true;
            } else if (line.startsWith("\\end{tabular}")) {
                inTabular = false;
            }
            boolean row = inTabular && line.endsWith(" \\\\");
            depth = scan(line, row, columns, depth, latex);
        }
        assertThat(depth).as("braces balanced:\n" + latex).isZero();
    }

    private static void environments(String latex, List<String> lines) {
        Deque<String> open = new ArrayDeque<>();
        Matcher m = ENVIRONMENT.matcher(String.join("\n", lines));
        while (m.find()) {
            if (m.group(1).equals("begin")) {
                open.push(m.group(2));
            } else {
                assertThat(open).as("\\end{" + m.group(2) + "} closes what is open:\n" + latex).isNotEmpty();
                assertThat(open.pop()).as("\\end{" + m.group(2) + "} closes what is open:\n" + latex).isEqualTo(m.group(2));
            }
        }
        assertThat(open).as("every environment closed:\n" + latex).isEmpty();
    }

    private static int columns(String latex) {
        Matcher m = TABULAR.matcher(latex);
        if (!m.find()) {
            fail("no \\begin{tabular}{...} with l, r, c columns:\n" + latex);
        }
        return m.group(1).length();
    }

    /** One line: returns the brace depth after it. */
    private static int scan(String line, boolean row, int columns, int depth, String latex) {
        boolean math = false;
        int ampersands = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
                if (i < line.length() && Character.isLetter(line.charAt(i))) {
                    while (i + 1 < line.length() && Character.isLetter(line.charAt(i + 1))) {
                        i++;
                    }
                }
                continue;
            }
            switch (c) {
                case '{' -> depth++;
                case '}' -> {
                    depth--;
                    assertThat(depth).as("a } closes nothing in: " + line + "\n" + latex).isNotNegative();
                }
                case '$' -> math = !math;
                case '&' -> {
                    assertThat(row).as("& outside a table row: " + line).isTrue();
                    assertThat(math).as("& inside math: " + line).isFalse();
                    ampersands++;
                }
                case '_', '^' -> assertThat(math).as(c + " outside math: " + line).isTrue();
                case '#', '~', '%' -> fail("unescaped " + c + " in: " + line);
                default -> {
                }
            }
        }
        assertThat(math).as("math closed on its line: " + line).isFalse();
        if (row) {
            assertThat(ampersands).as("a row with as many cells as the " + columns + " columns: " + line).isEqualTo(columns - 1);
        }
        return depth;
    }
}
