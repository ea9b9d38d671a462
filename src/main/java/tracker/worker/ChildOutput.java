package tracker.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a child's output stream as lines without ever holding an unbounded line in memory: a line
 * longer than {@code maxLine} characters arrives in pieces (the first flagged first, the last
 * flagged last), which the consumer passes through instead of parsing.
 */
public final class ChildOutput {
    /** Receives what the stream says, piece by piece; a whole line is a piece that is first and last. */
    public interface Sink {
        void piece(String text, boolean first, boolean last) throws InterruptedException;
    }

    private ChildOutput() {
    }

    /**
     * Reads until end of stream; returns the number of lines. A carriage return that does not end a
     * line (a progress bar redrawing itself, as tqdm does) ends a piece at once, carriage return
     * included, so the bar moves on the terminal instead of waiting for the line's end.
     */
    public static long pump(InputStream in, int maxLine, Sink sink) throws IOException, InterruptedException {
        return read(in, maxLine, false, sink);
    }

    /**
     * Reads until end of stream in the lines of {@link java.io.BufferedReader#readLine}: a line ends
     * at {@code \n}, {@code \r\n} or a lone {@code \r}; returns the number of lines.
     */
    public static long lines(InputStream in, int maxLine, Sink sink) throws IOException, InterruptedException {
        return read(in, maxLine, true, sink);
    }

    private static long read(InputStream in, int maxLine, boolean returnEndsLine, Sink sink) throws IOException, InterruptedException {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean first = true;
        boolean pendingReturn = false;
        long lines = 0;
        int n;
        while ((n = r.read(buf)) >= 0) {
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (pendingReturn) {
                    pendingReturn = false;
                    if (c != '\n' && returnEndsLine) {
                        sink.piece(line.toString(), first, true);
                        line.setLength(0);
                        first = true;
                        lines++;
                    } else if (c != '\n') {
                        line.append('\r');
                        sink.piece(line.toString(), first, false);
                        line.setLength(0);
                        first = false;
                    }
                }
                if (c == '\n') {
                    sink.piece(line.toString(), first, true);
                    line.setLength(0);
                    first = true;
                    lines++;
                } else if (c == '\r') {
                    pendingReturn = true;
                } else {
                    if (line.length() >= maxLine) { // a longer line goes on in pieces
                        sink.piece(line.toString(), first, false);
                        line.setLength(0);
                        first = false;
                    }
                    line.append(c);
                }
            }
        }
        if (pendingReturn && returnEndsLine) {
            sink.piece(line.toString(), first, true);
            return lines + 1;
        }
        if (pendingReturn) {
            line.append('\r');
        }
        if (line.length() > 0 || !first) {
            sink.piece(line.toString(), first, true);
            lines++;
        }
        return lines;
    }
}
