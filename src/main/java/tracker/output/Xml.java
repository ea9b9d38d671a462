package tracker.output;

/** Text made safe for XML (SVG documents): in element content and in double-quoted attributes. */
public final class Xml {
    private Xml() {
    }

    /**
     * {@code & < > " '} as entities; characters XML 1.0 does not allow (control characters other than
     * tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD, so a hostile name cannot break the document.
     */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
