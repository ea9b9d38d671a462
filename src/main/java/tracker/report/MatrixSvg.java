package tracker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tracker.output.Painter;
import tracker.output.Screen;
import tracker.output.Xml;

/**
 * The matrix as a heatmap, a standalone SVG document for a paper or a slide: models as rows,
 * datasets as columns, each cell coloured by where its value lies between the dataset's worst
 * (light) and best (dark) value - per dataset, since scores of different datasets are not
 * comparable - and labelled mean ± std; the best per dataset bold, ties underlined, incomplete
 * cells with done/total; the average rank as a last column. Sizes come from the text; no fonts,
 * styles or scripts are fetched.
 */
final class MatrixSvg {
    private static final int CHAR = 7;          // px per character at font-size 12 (monospace-ish estimate)
    private static final int ROW = 30;
    private static final int PAD = 12;
    private static final int LINE = 17;
    private static final String LIGHT = "#f1f7fd";
    private static final String DARK = "#08519c";

    private MatrixSvg() {
    }

    static String render(String title, Matrix.Result m, List<String> legend) {
        List<String> modelTexts = m.models();
        int modelWidth = Math.max(60, modelTexts.stream().mapToInt(String::length).max().orElse(5) * CHAR + 2 * PAD);
        List<Integer> widths = new ArrayList<>();
        for (String d : m.datasets()) {
            int w = d.length();
            for (String model : m.models()) {
                w = Math.max(w, label(m.cell(model, d)).length() + progress(m.cell(model, d)).length() + 1);
            }
            widths.add(w * CHAR + 2 * PAD);
        }
        int rankWidth = 9 * CHAR + 2 * PAD;
        int tableWidth = modelWidth + widths.stream().mapToInt(Integer::intValue).sum() + rankWidth;
        int width = Math.max(tableWidth + 2 * PAD, 480);
        Screen text = new Screen((width - 2 * PAD) / CHAR, Painter.PLAIN); // lines of text as wide as the drawing
        List<String> titleLines = text.wrap(title);
        List<String> legendLines = new ArrayList<>();
        legend.forEach(l -> legendLines.addAll(text.wrap(l)));
        int top = PAD + titleLines.size() * LINE + PAD;
        int tableTop = top + ROW; // the header row
        int height = tableTop + m.models().size() * ROW + PAD + legendLines.size() * LINE + PAD;

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n", width, height, width, height));
        svg.append("<title>").append(Xml.escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height));
        int y = PAD + LINE - 4;
        for (String line : titleLines) {
            text(svg, PAD, y, line, "start", "font-weight=\"bold\"");
            y += LINE;
        }
        // header
        int x = PAD + modelWidth;
        for (int i = 0; i < m.datasets().size(); i++) {
            text(svg, x + widths.get(i) / 2, top + ROW / 2 + 4, m.datasets().get(i), "middle", "font-weight=\"bold\"");
            x += widths.get(i);
        }
        text(svg, x + rankWidth / 2, top + ROW / 2 + 4, "Avg. rank", "middle", "font-weight=\"bold\"");
        line(svg, PAD, tableTop, PAD + tableWidth, tableTop);
        // rows
        for (int r = 0; r < m.models().size(); r++) {
            String model = m.models().get(r);
            int rowTop = tableTop + r * ROW;
            text(svg, PAD + PAD / 2, rowTop + ROW / 2 + 4, model, "start", "");
            x = PAD + modelWidth;
            for (int i = 0; i < m.datasets().size(); i++) {
                String d = m.datasets().get(i);
                Matrix.Cell c = m.cell(model, d);
                if (c != null) {
                    double shade = shade(m, d, c);
                    String fill = Double.isNaN(shade) ? "#f0f0f0" : mix(shade);
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\"/>\n",
                            x, rowTop, widths.get(i), ROW, fill));
                    String ink = !Double.isNaN(shade) && shade > 0.55 ? "#ffffff" : "#111111";
                    String style = "fill=\"" + ink + "\"" + (c.best() ? " font-weight=\"bold\"" : "")
                            + (c.tie() ? " text-decoration=\"underline\"" : "");
                    String label = label(c) + progress(c);
                    text(svg, x + widths.get(i) / 2, rowTop + ROW / 2 + 4, label, "middle", style);
                }
                x += widths.get(i);
            }
            Matrix.Rank rank = m.ranks().get(r);
            text(svg, x + rankWidth / 2, rowTop + ROW / 2 + 4,
                    rank.averageRank() == null ? "-" : String.format(Locale.ROOT, "%.2f", rank.averageRank()), "middle", "");
        }
        line(svg, PAD, tableTop + m.models().size() * ROW, PAD + tableWidth, tableTop + m.models().size() * ROW);
        y = tableTop + m.models().size() * ROW + PAD + LINE - 4;
        for (String l : legendLines) {
            text(svg, PAD, y, l, "start", "fill=\"#444444\" font-size=\"11\"");
            y += LINE;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** 0 for the dataset's worst value, 1 for its best; NaN without a value; 1 when every model has the same. */
    private static double shade(Matrix.Result m, String dataset, Matrix.Cell c) {
        if (c.mean() == null || !Double.isFinite(c.mean())) {
            return Double.NaN;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String model : m.models()) {
            Matrix.Cell o = m.cell(model, dataset);
            if (o != null && o.mean() != null && Double.isFinite(o.mean())) {
                lo = Math.min(lo, o.mean());
                hi = Math.max(hi, o.mean());
            }
        }
        if (hi == lo) {
            return 1;
        }
        double t = (c.mean() - lo) / (hi - lo);
        return m.higherIsBetter() ? t : 1 - t;
    }

    /** The colour at {@code t} between {@link #LIGHT} (0) and {@link #DARK} (1). */
    static String mix(double t) {
        int[] a = rgb(LIGHT);
        int[] b = rgb(DARK);
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t),
                Math.round(a[2] + (b[2] - a[2]) * t));
    }

    private static int[] rgb(String hex) {
        return new int[] {Integer.parseInt(hex.substring(1, 3), 16), Integer.parseInt(hex.substring(3, 5), 16),
                Integer.parseInt(hex.substring(5, 7), 16)};
    }

    private static String label(Matrix.Cell c) {
        if (c == null) {
            return "";
        }
        if (c.mean() == null) {
            return c.onlyFailures() ? "failed" : "–";
        }
        return Numbers.meanStd(c.mean(), c.std(), c.n());
    }

    private static String progress(Matrix.Cell c) {
        return c == null || c.complete() ? "" : " (" + c.done() + "/" + c.total() + ")";
    }

    private static void text(StringBuilder svg, int x, int y, String content, String anchor, String extra) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s>", x, y, anchor, extra.isEmpty() ? "" : " " + extra))
                .append(Xml.escape(content)).append("</text>\n");
    }

    private static void line(StringBuilder svg, int x1, int y1, int x2, int y2) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
                x1, y1, x2, y2));
    }
}
