package tracker.output;

/** Text made safe for XML (SVG documents): in element content and in double-quoted attributes. */
public final class Xml {
    private Xml() {
    }

    /** {@code & < > " '} as entities; control characters other than tab and newline (not allowed in XML 1.0) dropped. */
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
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
