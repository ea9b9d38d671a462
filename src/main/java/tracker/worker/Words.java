package tracker.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a definition's {@code command} into words the way a POSIX shell would quote them - single
 * quotes, double quotes, backslash - and nothing else: no variables, globs, pipes or redirections,
 * because the command is started directly, never through a shell.
 */
public final class Words {
    private Words() {
    }

    /** The words; an unclosed quote is an IllegalArgumentException saying where. */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("the single quote at character " + (i + 1) + " is never closed");
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < command.length() && command.charAt(j) != '"') {
                    if (command.charAt(j) == '\\' && j + 1 < command.length() && "\"\\$`".indexOf(command.charAt(j + 1)) >= 0) {
                        j++;
                    }
                    word.append(command.charAt(j));
                    j++;
                }
                if (j >= command.length()) {
                    throw new IllegalArgumentException("the double quote at character " + (i + 1) + " is never closed");
                }
                inWord = true;
                i = j + 1;
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
