package tracker.cli.options;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The formats one command prints, the first being its default. A command that prints data
 * implements {@link Printing}; its {@code -o} help and completion then list exactly these.
 */
public record Formats(List<Format> accepted) {
    public Formats {
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("a command prints at least one format");
        }
        accepted = List.copyOf(accepted);
    }

    public static Formats of(Format fallback, Format... others) {
        return new Formats(java.util.stream.Stream.concat(java.util.stream.Stream.of(fallback), java.util.stream.Stream.of(others)).toList());
    }

    public Format fallback() {
        return accepted.get(0);
    }

    /** For help: "table (default), json, csv". */
    public String describe() {
        return fallback() + " (default)" + accepted.stream().skip(1).map(f -> ", " + f).collect(Collectors.joining());
    }

    /** Implemented by every command with {@code -o}. */
    public interface Printing {
        Formats formats();
    }
}
