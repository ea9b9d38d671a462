package tracker.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import tracker.TrackerException;

/**
 * A definition file's text, refused before any parsing when it cannot be a definition: larger
 * than {@link #MAX_BYTES} (a hand-written definition is a few kilobytes; a large file is data
 * written by mistake, and reading it whole would take the memory and the time), or not UTF-8
 * (said with the line and column of the first bad byte). At most MAX_BYTES + 1 bytes are ever
 * read, so a pipe or a device cannot fill the memory either.
 */
final class DefinitionFile {
    /** 1 MiB: about 20,000 lines of YAML. */
    static final int MAX_BYTES = 1 << 20;
    private static final String UTF8_HINT = "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 OLD > NEW); nothing was stored";

    private DefinitionFile() {
    }

    static String read(Path path) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw TrackerException.invalid("cannot read " + path + ": " + reason(e), "check the path");
        }
        String file = path.toString();
        if (bytes.length > MAX_BYTES) {
            throw new DefinitionException(file, List.of(file + ":1:1: the file is larger than " + (MAX_BYTES >> 20)
                    + " MiB, the most a definition may have"), "is it the definition? A definition names datasets and spaces; "
                    + "it does not hold data; nothing was stored");
        }
        return decode(bytes, file);
    }

    /** The bytes as UTF-8 text without a byte-order mark; anything else is refused with its place. */
    static String decode(byte[] bytes, String file) {
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF) || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new DefinitionException(file, List.of(file + ":1:1: the file is UTF-16 text; a definition must be UTF-8"), UTF8_HINT);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new DefinitionException(file, List.of(file + ":" + place(out) + ": the file is not UTF-8 text: byte 0x"
                    + String.format("%02X", bytes[in.position()]) + " here is not part of a UTF-8 character"), UTF8_HINT);
        }
        decoder.flush(out);
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** "line:column" (1-based) just after the characters decoded so far. */
    private static String place(CharBuffer decoded) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < decoded.position(); i++) {
            if (decoded.get(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ":" + column;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : "an I/O error";
    }
}
