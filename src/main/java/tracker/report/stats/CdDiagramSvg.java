package tracker.report.stats;

import java.util.Locale;

import tracker.output.Xml;

/**
 * The critical-difference diagram as a standalone SVG document in the style of Demšar (2006),
 * Figure 1: the axis of average rank (1 on the left) at the top with the CD bar above it, the
 * better half of the models hanging to the left and the worse half to the right, each labelled
 * with its name and average rank, and the cliques as thick lines under the axis.
 *
 * <p>No external resources (no fonts, styles or scripts to fetch); names are escaped; the size is
 * computed from the length of the labels at {@link #FONT_SIZE} px, estimating a character as
 * {@link #CHAR_WIDTH} of the font size (generous for proportional fonts, so labels do not clip).
 * The caption and legend are in the document's {@code <title>} and {@code <desc>}, not drawn: a
 * paper gives its own caption. Deterministic: the same input gives the same bytes.
 */
public final class CdDiagramSvg {
    public static final int FONT_SIZE = 12;
    public static final double CHAR_WIDTH = 0.62;
    private static final double MARGIN = 10;
    private static final double ROW = 18;
    private static final double CLIQUE_GAP = 7;
    private static final double MIN_AXIS = 240;
    private static final double PER_RANK = 48;
    private static final double GAP = 12;

    private CdDiagramSvg() {
    }

    public static String render(CdDiagram d) {
        int k = d.models();
        double[] ranks = d.averageRanks();
        Integer[] order = d.byRank();
        int leftCount = (k + 1) / 2;
        String[] labels = new String[k];
        double leftWidth = 0;
        double rightWidth = 0;
        for (int i = 0; i < k; i++) {
            int m = order[i];
            String name = CdDiagram.printable(d.names().get(m));
            String rank = CdDiagram.rankText(ranks[m]);
            labels[m] = i < leftCount ? name + " " + rank : rank + " " + name;
            double w = textWidth(labels[m]);
            if (i < leftCount) {
                leftWidth = Math.max(leftWidth, w);
            } else {
                rightWidth = Math.max(rightWidth, w);
            }
        }
        double axisWidth = Math.max(MIN_AXIS, PER_RANK * (k - 1));
        double x1 = MARGIN + leftWidth + GAP;
        double xk = x1 + axisWidth;
        double width = xk + GAP + rightWidth + MARGIN;
        double unit = axisWidth / (k - 1);

        double cdY = MARGIN + FONT_SIZE + 4;
        double numberY = cdY + 10 + FONT_SIZE + 6;
        double axisY = numberY + 6;
        double cliqueY = axisY + 10;
        double firstRowY = cliqueY + d.cliques().size() * CLIQUE_GAP + 8;
        int rows = Math.max(leftCount, k - leftCount);
        double height = firstRowY + (rows - 1) * ROW + FONT_SIZE / 2.0 + MARGIN;

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(n(width))
                .append("\" height=\"").append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ').append(n(height))
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"").append(FONT_SIZE).append("\">\n");
        svg.append("<title>").append(Xml.escape(d.caption(true))).append("</title>\n");
        svg.append("<desc>").append(Xml.escape(CdDiagram.legend())).append("</desc>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<g stroke=\"black\" stroke-width=\"1\" fill=\"none\">\n");

        // the CD bar, from rank 1, with its value above it
        double cdEnd = x1 + Math.min(d.criticalDifference(), k - 1) * unit;
        line(svg, x1, cdY, cdEnd, cdY);
        line(svg, x1, cdY - 3, x1, cdY + 3);
        line(svg, cdEnd, cdY - 3, cdEnd, cdY + 3);
        // the axis with a tick at every rank and a shorter one at every half
        line(svg, x1, axisY, xk, axisY);
        for (int t = 1; t <= k; t++) {
            line(svg, x(t, x1, unit), axisY - 6, x(t, x1, unit), axisY);
            if (t < k) {
                line(svg, x(t + 0.5, x1, unit), axisY - 3, x(t + 0.5, x1, unit), axisY);
            }
        }
        // each model: down from its rank, then out to its label
        for (int i = 0; i < k; i++) {
            int m = order[i];
            boolean left = i < leftCount;
            double y = firstRowY + (left ? i : k - 1 - i) * ROW;
            double x = x(ranks[m], x1, unit);
            svg.append("<polyline points=\"").append(n(x)).append(',').append(n(axisY)).append(' ')
                    .append(n(x)).append(',').append(n(y)).append(' ')
                    .append(n(left ? x1 - GAP / 2 : xk + GAP / 2)).append(',').append(n(y)).append("\"/>\n");
        }
        svg.append("</g>\n");
        // the cliques: thick lines a little wider than the ranks they join
        svg.append("<g stroke=\"black\" stroke-width=\"3\" stroke-linecap=\"butt\">\n");
        for (int c = 0; c < d.cliques().size(); c++) {
            Clique clique = d.cliques().get(c);
            double y = cliqueY + c * CLIQUE_GAP;
            line(svg, x(clique.lowest(), x1, unit) - 4, y, x(clique.highest(), x1, unit) + 4, y);
        }
        svg.append("</g>\n");

        svg.append("<g fill=\"black\">\n");
        text(svg, (x1 + cdEnd) / 2, cdY - 5, "middle", "CD = " + CdDiagram.rankText(d.criticalDifference()));
        for (int t = 1; t <= k; t++) {
            text(svg, x(t, x1, unit), numberY - 2, "middle", Integer.toString(t));
        }
        for (int i = 0; i < k; i++) {
            int m = order[i];
            boolean left = i < leftCount;
            double y = firstRowY + (left ? i : k - 1 - i) * ROW + FONT_SIZE * 0.35;
            text(svg, left ? x1 - GAP / 2 - 3 : xk + GAP / 2 + 3, y, left ? "end" : "start", labels[m]);
        }
        svg.append("</g>\n");
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double x(double rank, double x1, double unit) {
        return x1 + (rank - 1) * unit;
    }

    private static double textWidth(String s) {
        return s.codePointCount(0, s.length()) * FONT_SIZE * CHAR_WIDTH;
    }

    private static void line(StringBuilder svg, double xa, double ya, double xb, double yb) {
        svg.append("<line x1=\"").append(n(xa)).append("\" y1=\"").append(n(ya)).append("\" x2=\"").append(n(xb))
                .append("\" y2=\"").append(n(yb)).append("\"/>\n");
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String content) {
        svg.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\">").append(Xml.escape(content)).append("</text>\n");
    }

    /** Coordinates with one decimal, the same on every platform. */
    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

}
