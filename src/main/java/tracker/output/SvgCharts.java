package tracker.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Chart}s as one standalone SVG document: a title, then one panel per chart, each with axes,
 * ticks and grid lines, a band (filled, light) and a polyline per line, vertical markers, and a
 * legend under the plot. Nothing external (no fonts, styles or scripts to fetch); every text is
 * escaped, so any model or metric name keeps the XML well-formed. Deterministic: coordinates are
 * written with one decimal, in a fixed order.
 */
public final class SvgCharts {
    static final int WIDTH = 720;
    private static final int PLOT_HEIGHT = 240;
    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int PANEL_TOP = 30;
    private static final int BELOW_PLOT = 46;
    private static final int LINE_HEIGHT = 17;
    private static final int TITLE_CHARACTERS = 100;
    /** Tableau 10: colours chosen to stay distinct from one another in print and for most colour vision. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
        "#9c755f", "#bab0ac"};

    private final StringBuilder svg = new StringBuilder();

    private SvgCharts() {
    }

    /**
     * The document: {@code title} in bold, {@code subtitle} (what the charts show and how they were
     * chosen; wrapped onto lines of about {@value #TITLE_CHARACTERS} characters) under it, then the panels.
     */
    public static String document(String title, String subtitle, List<Chart> panels) {
        return new SvgCharts().write(title, subtitle, panels);
    }

    private String write(String title, String subtitle, List<Chart> panels) {
        List<String> titleLines = new ArrayList<>(List.of(title));
        titleLines.addAll(wrap(subtitle, TITLE_CHARACTERS));
        int y = 12 + titleLines.size() * LINE_HEIGHT;
        List<Integer> tops = new ArrayList<>();
        for (Chart c : panels) {
            tops.add(y);
            y += panelHeight(c);
        }
        int height = y + 8;
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<title>").append(Xml.escape(title + ": " + subtitle)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        for (int i = 0; i < titleLines.size(); i++) {
            text(12, 12 + (i + 1) * LINE_HEIGHT - 4, "start", i == 0 ? "font-size=\"14\" font-weight=\"bold\"" : "font-size=\"12\"",
                    titleLines.get(i));
        }
        for (int i = 0; i < panels.size(); i++) {
            panel(panels.get(i), tops.get(i));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static int legendLines(Chart c) {
        boolean band = c.band() != null && c.lines().stream().anyMatch(l -> l.points().stream().anyMatch(Chart.Point::hasBand));
        return c.lines().size() + (band ? 1 : 0) + c.markers().size();
    }

    private static int panelHeight(Chart c) {
        return PANEL_TOP + PLOT_HEIGHT + BELOW_PLOT + legendLines(c) * LINE_HEIGHT + 12;
    }

    private void panel(Chart c, int top) {
        svg.append("<g>\n");
        text(12, top + 18, "start", "font-size=\"13\" font-weight=\"bold\"", c.title());
        int plotTop = top + PANEL_TOP;
        int plotBottom = plotTop + PLOT_HEIGHT;
        int plotRight = WIDTH - RIGHT;
        if (!c.hasData()) {
            text((LEFT + plotRight) / 2.0, plotTop + PLOT_HEIGHT / 2.0, "middle", "fill=\"#666666\"", "no values to plot");
        } else {
            List<Double> yTicks = c.yTicks(5);
            List<Double> xTicks = c.xTicks(8);
            Scale sx = new Scale(c.xAxis().min(), c.xAxis().max(), LEFT, plotRight);
            Scale sy = new Scale(yTicks.get(0), yTicks.get(yTicks.size() - 1), plotBottom, plotTop);
            for (double t : yTicks) {
                double py = sy.at(t);
                svg.append("<line x1=\"").append(n(LEFT)).append("\" y1=\"").append(n(py)).append("\" x2=\"").append(n(plotRight))
                        .append("\" y2=\"").append(n(py)).append("\" stroke=\"#e6e6e6\"/>\n");
                text(LEFT - 6, py + 4, "end", "", Chart.tickText(t, yTicks));
            }
            for (double t : xTicks) {
                double px = sx.at(t);
                svg.append("<line x1=\"").append(n(px)).append("\" y1=\"").append(n(plotBottom)).append("\" x2=\"").append(n(px))
                        .append("\" y2=\"").append(n(plotBottom + 5)).append("\" stroke=\"#333333\"/>\n");
                text(px, plotBottom + 18, "middle", "", Chart.tickText(t, xTicks));
            }
            svg.append("<polyline points=\"").append(n(LEFT)).append(',').append(n(plotTop)).append(' ').append(n(LEFT)).append(',')
                    .append(n(plotBottom)).append(' ').append(n(plotRight)).append(',').append(n(plotBottom))
                    .append("\" fill=\"none\" stroke=\"#333333\"/>\n");
            for (int i = 0; i < c.lines().size(); i++) {
                band(c.lines().get(i), PALETTE[c.lines().get(i).colour(i) % PALETTE.length], sx, sy);
            }
            for (int i = 0; i < c.lines().size(); i++) {
                line(c.lines().get(i), PALETTE[c.lines().get(i).colour(i) % PALETTE.length], sx, sy);
            }
            for (Chart.Marker m : c.markers()) {
                double px = sx.at(m.x());
                svg.append("<line x1=\"").append(n(px)).append("\" y1=\"").append(n(plotTop)).append("\" x2=\"").append(n(px))
                        .append("\" y2=\"").append(n(plotBottom)).append("\" stroke=\"#555555\" stroke-dasharray=\"4 3\"/>\n");
            }
        }
        text((LEFT + plotRight) / 2.0, plotBottom + 36, "middle", "", c.xLabel());
        double midY = (plotTop + plotBottom) / 2.0;
        svg.append("<text x=\"16\" y=\"").append(n(midY)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
                .append(n(midY)).append(")\">").append(Xml.escape(c.yLabel())).append("</text>\n");
        legend(c, plotBottom + BELOW_PLOT);
        svg.append("</g>\n");
    }

    private void legend(Chart c, int top) {
        int y = top;
        for (int i = 0; i < c.lines().size(); i++) {
            Chart.Line l = c.lines().get(i);
            String colour = PALETTE[l.colour(i) % PALETTE.length];
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y + 8).append("\" x2=\"").append(LEFT + 24)
                    .append("\" y2=\"").append(y + 8).append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>\n");
            svg.append("<text x=\"").append(LEFT + 32).append("\" y=\"").append(y + 12).append("\">").append(Xml.escape(l.name()));
            if (!l.detail().isEmpty()) {
                svg.append("<tspan dx=\"8\" fill=\"#555555\">").append(Xml.escape(l.detail())).append("</tspan>");
            }
            svg.append("</text>\n");
            y += LINE_HEIGHT;
        }
        if (c.band() != null && c.lines().stream().anyMatch(l -> l.points().stream().anyMatch(Chart.Point::hasBand))) {
            svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(y + 2).append("\" width=\"24\" height=\"12\" fill=\"#888888\" ")
                    .append("fill-opacity=\"0.25\"/>\n");
            text(LEFT + 32, y + 12, "start", "", c.band());
            y += LINE_HEIGHT;
        }
        for (Chart.Marker m : c.markers()) {
            svg.append("<line x1=\"").append(LEFT + 12).append("\" y1=\"").append(y + 2).append("\" x2=\"").append(LEFT + 12)
                    .append("\" y2=\"").append(y + 14).append("\" stroke=\"#555555\" stroke-dasharray=\"4 3\"/>\n");
            text(LEFT + 32, y + 12, "start", "", m.label());
            y += LINE_HEIGHT;
        }
    }

    /** The band of each run of points that have one: along the highs, back along the lows. */
    private void band(Chart.Line l, String colour, Scale sx, Scale sy) {
        for (List<Chart.Point> run : runs(l.points(), Chart.Point::hasBand)) {
            StringBuilder pts = new StringBuilder();
            for (Chart.Point p : run) {
                pts.append(n(sx.at(p.x()))).append(',').append(n(sy.at(p.high()))).append(' ');
            }
            for (int i = run.size() - 1; i >= 0; i--) {
                Chart.Point p = run.get(i);
                pts.append(n(sx.at(p.x()))).append(',').append(n(sy.at(p.low()))).append(i > 0 ? " " : "");
            }
            svg.append("<polygon points=\"").append(pts).append("\" fill=\"").append(colour).append("\" fill-opacity=\"0.2\" stroke=\"none\"/>\n");
        }
    }

    /** A polyline per run of finite points (a non-finite value is a gap); a point alone is a dot. */
    private void line(Chart.Line l, String colour, Scale sx, Scale sy) {
        for (List<Chart.Point> run : runs(l.points(), p -> Double.isFinite(p.y()))) {
            if (run.size() == 1) {
                Chart.Point p = run.get(0);
                svg.append("<circle cx=\"").append(n(sx.at(p.x()))).append("\" cy=\"").append(n(sy.at(p.y())))
                        .append("\" r=\"3\" fill=\"").append(colour).append("\"/>\n");
                continue;
            }
            StringBuilder pts = new StringBuilder();
            for (Chart.Point p : run) {
                pts.append(pts.length() == 0 ? "" : " ").append(n(sx.at(p.x()))).append(',').append(n(sy.at(p.y())));
            }
            svg.append("<polyline points=\"").append(pts).append("\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"2\"/>\n");
        }
    }

    private static List<List<Chart.Point>> runs(List<Chart.Point> points, java.util.function.Predicate<Chart.Point> keep) {
        List<List<Chart.Point>> runs = new ArrayList<>();
        List<Chart.Point> current = new ArrayList<>();
        for (Chart.Point p : points) {
            if (keep.test(p)) {
                current.add(p);
            } else if (!current.isEmpty()) {
                runs.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            runs.add(current);
        }
        return runs;
    }

    private void text(double x, double y, String anchor, String attributes, String text) {
        svg.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append('"');
        if (!"start".equals(anchor)) {
            svg.append(" text-anchor=\"").append(anchor).append('"');
        }
        if (!attributes.isEmpty()) {
            svg.append(' ').append(attributes);
        }
        svg.append('>').append(Xml.escape(text)).append("</text>\n");
    }

    /** A linear map from data values to pixels. */
    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double at(double v) {
            double span = to == from ? 1 : to - from;
            return pixelFrom + (v - from) / span * (pixelTo - pixelFrom);
        }
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }


    /** Words onto lines of at most {@code width} characters (a longer word stands alone); one empty line for no text. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new Screen(width, Painter.PLAIN).wrap(text);
        return lines.isEmpty() ? List.of("") : lines;
    }
}
