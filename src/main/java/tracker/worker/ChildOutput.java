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

    /** Reads until end of stream; returns the number of lines. */
    public static long pump(InputStream in, int maxLine, Sink sink) throws IOException, InterruptedException {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean first = true;
        long lines = 0;
        int n;
        while ((n = r.read(buf)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.append(buf, start, i - start);
                    start = i + 1;
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    sink.piece(line.toString(), first, true);
                    line.setLength(0);
                    first = true;
                    lines++;
                } else if (line.length() + (i - start) >= maxLine) {
                    line.append(buf, start, i - start);
                    start = i;
                    sink.piece(line.toString(), first, false);
                    line.setLength(0);
                    first = false;
                }
            }
            line.append(buf, start, n - start);
        }
        if (line.length() > 0 || !first) {
            sink.piece(line.toString(), first, true);
            lines++;
        }
        return lines;
    }
}
