package tracker.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import tracker.TrackerException;

/** Small file helpers the exports share: whole files replaced at once, and digests of what is written. */
final class RunFiles {
    private RunFiles() {
    }

    /**
     * Writes {@code bytes} to {@code file} through a temporary file beside it, so a reader (TensorBoard,
     * mlflow ui) never sees half a file, and an export killed half-way leaves the old file or the new one.
     */
    static void replace(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(".tmp-" + file.getFileName());
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    static TrackerException cannotWrite(Path file, IOException e) {
        return TrackerException.invalid("cannot write " + file + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()),
                "check that the directory is writable and the disk has room; exporting again finishes the job");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String hex(byte[] digest, int bytes) {
        return HexFormat.of().formatHex(digest, 0, bytes);
    }
}
