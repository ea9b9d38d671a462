package tracker.output;

/** Quoting for POSIX shells: whatever a value holds, {@code eval} gives it back unchanged. */
public final class Shell {
    private Shell() {
    }

    /** The value as one shell word: bare when it is plainly safe, else in single quotes. */
    public static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A name fit for an environment variable: letters, digits and _, upper case. */
    public static String envName(String s) {
        return s.toUpperCase().replaceAll("[^A-Z0-9_]", "_");
    }
}
