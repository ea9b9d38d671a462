package tracker.cli.options;

import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tracker.store.RunWrites;

/**
 * Status words on the command line: the error lists every status, and Errors adds "did you mean"
 * for a near miss ({@code --status complete} suggests {@code completed}).
 */
public final class StatusNames {
    private StatusNames() {
    }

    /** The word if it is one of {@code allowed}, else a conversion error that names all of them. */
    public static String check(String word, List<String> allowed) {
        if (allowed.contains(word)) {
            return word;
        }
        // the closest one is offered by Errors, as a hint, like every near miss
        throw new TypeConversionException("'" + word + "' is not a status (one of: " + String.join(", ", allowed) + ")");
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
