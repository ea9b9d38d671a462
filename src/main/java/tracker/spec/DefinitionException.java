package tracker.spec;

import java.util.List;

import tracker.ExitCode;
import tracker.TrackerException;

/**
 * A definition that is not valid: every problem found, each "file:line:column: what is wrong".
 * Exit code 9; nothing is stored.
 */
public final class DefinitionException extends TrackerException {
    public DefinitionException(String file, List<String> problems) {
        this(file, problems, "nothing was stored; docs/definitions.md describes every field");
    }

    /** Problems with a hint of their own (a file that is not UTF-8 needs converting, not the field reference). */
    public DefinitionException(String file, List<String> problems, String hint) {
        super(ExitCode.INVALID, problems.size() == 1 ? problems.get(0) : problems.size() + " problems in " + file + ":",
                problems.size() == 1 ? List.of() : problems, hint, null);
    }

    /** Each problem, in file order. */
    public List<String> problems() {
        return details().isEmpty() ? List.of(getMessage()) : details();
    }
}
