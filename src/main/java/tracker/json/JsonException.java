package tracker.json;

/** A JSON syntax error; {@link #column()} is 1-based. */
public final class JsonException extends RuntimeException {
    private final int column;

    public JsonException(String message, int column) {
        super(message + " at column " + column);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
