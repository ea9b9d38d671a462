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

    String file() {
        return file;
    }

    void add(int line, int column, String message) {
        messages.add(file + ":" + line + ":" + column + ": " + message);
    }

    /** A problem in another file (an included one), at a line and column of it. */
    void add(String otherFile, int line, int column, String message) {
        messages.add(otherFile + ":" + line + ":" + column + ": " + message);
    }

    /** A problem located in full already (by another reader, e.g. of a --set value). */
    void addLocated(String message) {
        messages.add(message);
    }

    /** A problem already located as "line:column: message". */
    void add(String locatedMessage) {
        messages.add(file + ":" + locatedMessage);
    }

    /** A problem at a node, which may have been written in an included file or by --set. */
    void add(YNode node, String message) {
        messages.add(node.where() + ": " + message);
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
