package tracker.spec;

import java.util.ArrayList;
import java.util.List;

/** The validation problems of one definition file, each located at a line and column. */
final class Problems {
    private final String file;
    private final List<String> messages = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, int column, String message) {
        messages.add(file + ":" + line + ":" + column + ": " + message);
    }

    /** A problem already located as "line:column: message". */
    void add(String locatedMessage) {
        messages.add(file + ":" + locatedMessage);
    }

    void add(YNode node, String message) {
        add(node.line(), node.column(), message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new DefinitionException(file, messages);
        }
    }
}
