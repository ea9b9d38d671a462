package tracker.cli.options;

import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tracker.store.RunWrites;
import tracker.util.Suggestions;

/**
 * Status words on the command line, with "did you mean" for a near miss ({@code --status complete}
 * suggests {@code completed}): picocli's own enum conversion only lists every value.
 */
public final class StatusNames {
    private StatusNames() {
    }

    /** The word if it is one of {@code allowed}, else a conversion error that names the closest one and all of them. */
    public static String check(String word, List<String> allowed) {
        if (allowed.contains(word)) {
            return word;
        }
        String close = Suggestions.closest(word, allowed);
        throw new TypeConversionException("'" + word + "' is not a status"
                + (close != null ? "; did you mean '" + close + "'?" : "") + " (one of: " + String.join(", ", allowed) + ")");
    }

    /** For {@code tracker end --status}: every finished status and preempted. */
    public static final class End implements ITypeConverter<RunWrites.End> {
        static final List<String> NAMES = Arrays.stream(RunWrites.End.values()).map(Enum::name).toList();

        @Override
        public RunWrites.End convert(String value) {
            return RunWrites.End.valueOf(check(value, NAMES));
        }
    }
}
