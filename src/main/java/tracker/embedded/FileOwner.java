package tracker.embedded;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which OS user owns a file, and whether that is the user this process runs as. Read through the
 * JDK's "unix" file attributes (Linux, macOS); where there are none, every file counts as ours.
 */
record FileOwner(String name, long uid) {
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /** The owner of {@code file} (not following a last link), or null where the platform does not say. */
    static FileOwner of(Path file) throws IOException {
        if (!UNIX) {
            return null;
        }
        Number uid = (Number) Files.getAttribute(file, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return new FileOwner(Files.getOwner(file, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName(), uid.longValue());
    }

    /**
     * True unless {@code file} belongs to another user. This process's user is the owner of
     * {@code /proc/self} (its effective uid, the one its files get); without /proc, the user whose
     * name the JVM reports.
     */
    boolean isCurrentUser() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) {
            return ((Number) Files.getAttribute(self, "unix:uid")).longValue() == uid;
        }
        return name.equals(System.getProperty("user.name"));
    }

    @Override
    public String toString() {
        return "user " + name + " (uid " + uid + ")";
    }
}
