package tracker.report;

import java.io.PrintWriter;

import tracker.output.Screen;

/** One view of an experiment, in every format the report prints (docs/report-formats.md). */
public interface Report {
    /** The -o json document: maps, lists, strings, numbers (see {@link tracker.json.JsonWriter}). */
    Object json();

    /** -o csv ({@code ','}) or -o tsv ({@code '\t'}): a header line, then one line per row. */
    void delimited(PrintWriter out, char sep);

    /** -o table: for a terminal of {@code screen}'s width, marked cells painted. */
    void table(PrintWriter out, Screen screen);

    /** -o markdown: a title line and a GitHub table. */
    void markdown(PrintWriter out);

    /** A view a paper can take as a LaTeX table (-o latex). */
    interface Latex {
        void latex(PrintWriter out);
    }

    /** A view that can be drawn as a standalone SVG document (-o svg). */
    interface Svg {
        void svg(PrintWriter out);
    }
}
