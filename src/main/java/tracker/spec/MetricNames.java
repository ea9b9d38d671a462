package tracker.spec;

import java.util.regex.Pattern;

/**
 * Names of metrics and phases, shared by definitions and by {@code tracker log}: they become
 * MongoDB field paths, so no '$', no empty segments, no control characters, bounded length.
 */
public final class MetricNames {
    public static final String RULE = "use letters, digits and _ - / (no dots: a dot separates phase and metric), at most 64 characters";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_/-]+");

    private MetricNames() {
    }

    public static boolean valid(String name) {
        return name != null && name.length() <= 64 && VALID.matcher(name).matches();
    }
}
