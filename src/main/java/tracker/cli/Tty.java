package tracker.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Help.Ansi;
import tracker.output.Painter;

/**
 * What a table needs to know about the terminal: whether stdout is one, how wide it is, and how
 * to colour. The width comes from {@code --width}, else the terminal when stdout is one
 * ({@code stty size} on {@code /dev/tty}, asked in the background while the command reads the
 * database: jline's system terminal took ~600 ms to start here, stty ~20-70 ms), else
 * {@code COLUMNS}, else 80.
 */
public final class Tty {
    static final int DEFAULT_WIDTH = 80;

    private Tty() {
    }

    /** Whether stdout is a terminal; false in tests and pipes. */
    public static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    /** Whether stdin is a terminal: someone who can answer a question (delete asks for confirmation). */
    public static boolean stdinIsTerminal() {
        return isTerminal(0);
    }

    /** Whether stderr is a terminal (where progress lines may redraw themselves). */
    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /**
     * Whether file descriptor {@code fd} is a terminal. On Linux, where /proc/self/fd says what it
     * is; elsewhere the JVM's console (null when stdin or stdout is redirected, on Java 17-21).
     * No Console.isTerminal(): it needs Java 22, and reflection would not survive native-image.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** The width to lay tables out for, found in the background; {@link Width#get()} waits for it. */
    public static Width width(Integer option, Map<String, String> env) {
        if (option != null) {
            return () -> option;
        }
        Integer columns = positive(env.get("COLUMNS"));
        int fallback = columns != null ? columns : DEFAULT_WIDTH;
        if (!stdoutIsTerminal()) {
            return () -> fallback;
        }
        CompletableFuture<Integer> asked = CompletableFuture.supplyAsync(Tty::stty);
        return () -> {
            try {
                Integer w = asked.get(1, TimeUnit.SECONDS);
                return w == null ? fallback : w;
            } catch (Exception e) {
                return fallback;
            }
        };
    }

    @FunctionalInterface
    public interface Width {
        int get();
    }

    /** {@code stty size < /dev/tty}: "rows columns"; null when there is no answer. */
    static Integer stty() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor(1, TimeUnit.SECONDS);
            String[] parts = out.split("\\s+");
            return parts.length == 2 ? positive(parts[1]) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Integer positive(String s) {
        try {
            int n = s == null ? 0 : Integer.parseInt(s.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Colour for a table, or none: see {@link #colourAllowed}; never with {@code --no-color}.
     * Machine formats never ask.
     */
    public static Painter painter(boolean noColor, Map<String, String> env) {
        return noColor || !colourAllowed(env) ? Painter.PLAIN : ANSI_WITH_SERIES;
    }

    /**
     * Whether the terminal can show characters beyond ASCII (braille and shades in plots): not with
     * {@code TERM=dumb}, nor when the locale ({@code LC_ALL}, else {@code LC_CTYPE}, else
     * {@code LANG}, the first one set) is set and is not UTF-8, e.g. {@code LANG=C}. With no locale
     * set at all it can: tables have always printed ±, … and block bars there.
     */
    public static boolean unicode(Map<String, String> env) {
        if (dumbTerminal(env)) {
            return false;
        }
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                String lower = v.toLowerCase(java.util.Locale.ROOT);
                return lower.contains("utf-8") || lower.contains("utf8");
            }
        }
        return true;
    }

    /**
     * Whether escape sequences may be written at all, for colour (tables, help) and redrawing
     * ({@code --watch}): not with {@code NO_COLOR} set to anything but the empty string
     * (no-color.org), not on a terminal that says it understands none ({@code TERM=dumb}: Emacs'
     * shell, some CI logs), and not when picocli's {@code Ansi.AUTO} says no (stdout is not a
     * terminal, {@code CLICOLOR=0}, ...).
     */
    public static boolean colourAllowed(Map<String, String> env) {
        return colourAllowed(env, Ansi.AUTO.enabled());
    }

    /** The same, given what picocli's {@code Ansi.AUTO} says. */
    static boolean colourAllowed(Map<String, String> env, boolean ansiAuto) {
        String noColor = env.get("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !dumbTerminal(env) && ansiAuto;
    }

    /** {@code TERM=dumb}: a terminal that takes text and newlines, and no escape sequences. */
    public static boolean dumbTerminal(Map<String, String> env) {
        return "dumb".equals(env.get("TERM"));
    }

    /** Best bold green, failures red, runs in flight dim: picocli's styles. */
    static final Painter ANSI = (mark, text) -> switch (mark) {
        case BEST -> Ansi.Style.on(Ansi.Style.bold, Ansi.Style.fg_green) + text + Ansi.Style.reset.on();
        case FAILED -> Ansi.Style.on(Ansi.Style.fg_red) + text + Ansi.Style.reset.on();
        case IN_FLIGHT -> Ansi.Style.on(Ansi.Style.faint) + text + Ansi.Style.reset.on();
    };

    /** The lines of a plot: colours that read on dark and light backgrounds alike, in this order. */
    private static final Ansi.IStyle[] SERIES = {Ansi.Style.fg_blue, Ansi.Style.fg_yellow, Ansi.Style.fg_magenta,
        Ansi.Style.fg_cyan, Ansi.Style.fg_green, Ansi.Style.fg_red};

    /** {@link #ANSI}, and a colour per line of a plot (faint for its band). */
    static final Painter ANSI_WITH_SERIES = new Painter() {
        @Override
        public String paint(Mark mark, String text) {
            return ANSI.paint(mark, text);
        }

        @Override
        public boolean colours() {
            return true;
        }

        @Override
        public String series(int index, boolean faint, String text) {
            Ansi.IStyle colour = SERIES[index % SERIES.length];
            return (faint ? Ansi.Style.on(Ansi.Style.faint, colour) : Ansi.Style.on(colour)) + text + Ansi.Style.reset.on();
        }
    };
}
