package tracker.worker;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code --checkpoint-dir}: one directory per run under it ({@code exp@1_mlp_iris_3}), given to the
 * command as {@code TRACKER_CHECKPOINT_DIR}, the same for every attempt of the run, so a resumed run
 * finds what it saved. A completed run needs its checkpoints no more: its directory is removed
 * unless they are kept ({@code --keep-checkpoints}); a run that failed or was preempted keeps its
 * own, for a resume or a look.
 */
public record CheckpointDirs(Path root, boolean keep) {
    /** The run's directory, created if missing. */
    public Path of(String runId) throws IOException {
        return Files.createDirectories(root.toAbsolutePath().resolve(runId.replaceAll("[^A-Za-z0-9@._-]", "_")));
    }

    /** Removes a completed run's directory (not {@code root}, nothing outside it); returns what went wrong, or null. */
    public String removeCompleted(String runId) {
        if (keep) {
            return null;
        }
        Path dir = root.toAbsolutePath().resolve(runId.replaceAll("[^A-Za-z0-9@._-]", "_"));
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file); // a symbolic link is deleted, never followed
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return null;
        } catch (IOException e) {
            return "could not remove the checkpoints of completed run " + runId + " in " + dir + ": " + e;
        }
    }
}
