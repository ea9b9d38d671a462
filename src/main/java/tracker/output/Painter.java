package tracker.output;

/**
 * How a table marks a cell: the best result, a failure, something still in flight. The plain
 * painter leaves text as it is (pipes, files, NO_COLOR, machine formats); the command line gives
 * tables a colouring one when stdout is a terminal.
 */
@FunctionalInterface
public interface Painter {
    enum Mark { BEST, FAILED, IN_FLIGHT }

    Painter PLAIN = (mark, text) -> text;

    /** {@code text} as it should appear with {@code mark}; the caller has already padded around it. */
    String paint(Mark mark, String text);

    /** Whether this painter colours at all: a plot tells its lines apart by colour, else by letters. */
    default boolean colours() {
        return false;
    }

    /**
     * {@code text} in the colour of a plot's line number {@code index} (a few colours, then again),
     * {@code faint} for its band; as it is when the painter does not colour.
     */
    default String series(int index, boolean faint, String text) {
        return text;
    }

    /** A cell's text with a mark, for {@link Table#row}. Widths are measured on the text alone. */
    record Marked(String text, Mark mark) {
        @Override
        public String toString() {
            return text;
        }
    }

    static Object mark(Object value, Mark mark) {
        String text = value == null ? "-" : String.valueOf(value);
        return mark == null ? text : new Marked(text, mark);
    }
}
