package tracker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Debian packages a test needs (real components, not mocks), once per machine: the
 * tests bring what they use, so a clean machine runs them as they are.
 */
public final class DebianPackages {
    private DebianPackages() {
    }

    /**
     * Makes sure {@code file} exists, installing {@code packages} with apt-get if it does not.
     *
     * @return null when it is there, else why it could not be installed (for the skip message)
     */
    public static synchronized String ensure(Path file, String... packages) {
        if (Files.exists(file)) {
            return null;
        }
        try {
            String update = run(List.of("apt-get", "update"));
            if (update != null) {
                return update;
            }
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
            install.addAll(List.of(packages));
            String failed = run(install);
            if (failed != null) {
                return failed;
            }
            return Files.exists(file) ? null : String.join(" ", packages) + " installed, but " + file + " is not there";
        } catch (IOException e) {
            return "cannot run apt-get: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        if (p.exitValue() != 0) {
            String text = new String(out).strip();
            return String.join(" ", command) + " failed: " + text.substring(Math.max(0, text.length() - 300));
        }
        return null;
    }
}
