package tracker.util;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human durations as users write them in definitions, options and config files: {@code 90s},
 * {@code 10m}, {@code 1h30m}, {@code 500ms}, {@code 2d}; a bare number means seconds.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern BARE = Pattern.compile("\\d+(?:\\.\\d+)?");

    private Durations() {
    }

    /** Returns null and lets the caller word the error when the text is not a duration. */
    public static Duration parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim().toLowerCase();
        if (s.isEmpty()) {
            return null;
        }
        if (BARE.matcher(s).matches()) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double millis = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            double n = Double.parseDouble(m.group(1));
            switch (m.group(2)) {
                case "ms": millis += n; break;
                case "s": millis += n * 1000; break;
                case "m": millis += n * 60_000; break;
                case "h": millis += n * 3_600_000; break;
                default: millis += n * 86_400_000; break;
            }
            at = m.end();
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** Compact form that {@link #parseOrNull} reads back: 1h30m, 45s, 250ms, 0s. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder sb = new StringBuilder();
        long s = ms / 1000;
        long days = s / 86_400;
        long hours = (s % 86_400) / 3600;
        long minutes = (s % 3600) / 60;
        long seconds = s % 60;
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (seconds > 0 || sb.length() == 0) {
            sb.append(seconds).append('s');
        }
        return sb.toString();
    }
}
