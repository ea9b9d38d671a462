package tracker.report;

import java.util.List;

/** A series as unicode block characters, scaled between its min and max; NaN and gaps are blank. */
public final class Sparkline {
    private static final char[] BLOCKS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private Sparkline() {
    }

    /** At most {@code width} characters: longer series are resampled by taking evenly spaced points. */
    public static String of(List<Double> values, int width) {
        int n = values.size();
        if (n == 0) {
            return "";
        }
        int w = Math.min(width, n);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Double v : values) {
            if (v != null && Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w; i++) {
            Double v = values.get(w == n ? i : (int) Math.round(i * (n - 1) / (double) (w - 1 == 0 ? 1 : w - 1)));
            if (v == null || !Double.isFinite(v) || min == Double.POSITIVE_INFINITY) {
                sb.append(' ');
            } else if (max == min) {
                sb.append(BLOCKS[3]);
            } else {
                int k = (int) Math.round((v - min) / (max - min) * (BLOCKS.length - 1));
                sb.append(BLOCKS[k]);
            }
        }
        return sb.toString();
    }
}
