package org.sipline.testing.peers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the Debian programs the peers run. Debian puts kamailio and kamcmd in /usr/sbin, which a
 * non-root user's PATH often lacks, so the sbin directories are searched after PATH.
 */
final class Executables {
  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Executables() {}

  /**
   * The absolute path of {@code name}, or a {@link PeerException} naming the Debian package that
   * provides it.
   */
  static Path find(String name, String debianPackage) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new PeerException(
        name
            + " not found on PATH or in "
            + EXTRA_DIRS
            + "; install the Debian package "
            + debianPackage
            + " (scripts/test-all.sh does)");
  }
}
